/** Reads 5s, 1500ms, 2m or a bare number of seconds; undefined when it is not a positive duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase();
  const ms = unit === 'ms' ? value : unit === 'm' ? value * 60_000 : value * 1000;
  return ms > 0 && Number.isFinite(ms) ? Math.round(ms) : undefined;
}
