// The output format names, kept apart from the renderers so the CLI can list them without loading any renderer.
export const OUTPUT_FORMATS = ['text', 'json', 'markdown', 'junit'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
