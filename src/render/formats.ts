// The output format names, kept apart from the renderers so the CLI can list them without loading any renderer.
// jsonl and none are the Temporal CLI's: one JSON object per line (a fleet: one report per line), and nothing at all
// (the exit code is the answer).
export const OUTPUT_FORMATS = ['text', 'json', 'jsonl', 'markdown', 'junit', 'none'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
