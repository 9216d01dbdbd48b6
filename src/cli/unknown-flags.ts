// yargs reports an unknown flag under both of its names (`Unknown arguments: adress-x, adressX`) and suggests nothing.
// This turns its message into one line per flag as the user typed it, with the nearest known flag.
import { didYouMean } from '../config/near-miss.js';

const UNKNOWN = /^Unknown arguments?: (.*)$/s;

/** The lines to print for yargs' unknown-argument message, or undefined when it is another message. */
export function unknownFlagLines(
  message: string,
  argv: readonly string[],
  known: readonly string[]
): string[] | undefined {
  const match = UNKNOWN.exec(message.trim());
  if (!match) return undefined;
  const typed = argv
    .filter((arg) => arg.startsWith('-') && arg !== '--')
    .map((arg) => arg.replace(/=.*$/s, '').replace(/^-+(no-)?/, ''));
  const names: string[] = [];
  for (const name of (match[1] as string).split(', ')) {
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    // The camelCase twin of a name already listed, or a name the user never typed in that form.
    if (names.includes(kebab)) continue;
    if (kebab !== name && !typed.includes(name) && names.some((n) => n === kebab)) continue;
    names.push(typed.includes(name) ? name : kebab);
  }
  return [...new Set(names)].map((name) => {
    const flag = `${name.length === 1 ? '-' : '--'}${name}`;
    const suggestion = name.length > 1 ? didYouMean(name, known) : undefined;
    return `unknown flag ${flag}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`;
  });
}
