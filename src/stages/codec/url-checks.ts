// Checks of the codec endpoint URL and the Web UI origin: settings only, no network.
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, warn } from '../../pipeline/check.js';
import type { Setting } from '../../config/resolved-config.js';
import { describeSource } from '../../config/setting-names.js';
import { sanitize } from '../../text/sanitize.js';
import {
  DEFAULT_UI_ORIGIN,
  type CodecUrlAnalysis,
  type CodecUrlIssue,
  type UiOrigins,
} from '../../knowledge/codec-url.js';

export function uiOriginChecks({ origins, invalid }: UiOrigins): CheckResult[] {
  if (invalid === undefined) return [];
  return [
    fail('codec.ui-origin.invalid', `Web UI origin ${invalid} is not an http(s) origin`, {
      evidence: evidence({ 'ui origin': invalid, 'checked instead': origins.join(', ') }),
      fix: `Pass --ui-origin as scheme://host[:port], the address your browser shows for the Web UI (e.g. ${DEFAULT_UI_ORIGIN}).`,
    }),
  ];
}

export function urlChecks(analysis: CodecUrlAnalysis, setting: Setting<string>): CheckResult[] {
  const shown = analysis.expanded;
  const details = {
    evidence: evidence({
      'codec endpoint': `${shown} (${describeSource(setting.source)})`,
      probed: analysis.endpoint?.base,
    }),
  };
  const checks = analysis.issues.map((issue) => issueCheck(issue, analysis, setting.source.name, details));
  if (checks.length === 0 && analysis.endpoint) {
    checks.push(pass('codec.url.valid', `Codec endpoint ${analysis.endpoint.base} is a well-formed base URL`, details));
  }
  return checks;
}

function issueCheck(
  issue: CodecUrlIssue,
  analysis: CodecUrlAnalysis,
  name: string,
  details: Pick<CheckResult, 'evidence'>
): CheckResult {
  const shown = analysis.expanded;
  switch (issue.rule) {
    case 'invalid':
      return fail('codec.url.invalid', `Codec endpoint ${shown} is not a URL`, {
        ...details,
        fix: `Set ${name} to the codec server's base URL, e.g. https://codec.example.com; the Web UI and CLI append /decode and /encode.`,
      });
    case 'scheme':
      return fail(
        'codec.url.scheme',
        issue.scheme === undefined
          ? `Codec endpoint ${shown} has no http:// or https:// scheme`
          : `Codec endpoint ${shown} uses ${issue.scheme}:, not http or https`,
        {
          ...details,
          fix: `Set ${name} to ${issue.suggestion ?? 'an http:// or https:// URL'}; the Web UI and CLI call the codec server over HTTP(S).`,
        }
      );
    case 'userinfo':
      return fail(
        'codec.url.userinfo',
        'Codec endpoint has a user name or password in it, which browsers refuse to fetch',
        {
          ...details,
          fix: `Remove the user:password@ part from ${name}; pass the credential as the Authorization value with --codec-auth (TEMPORAL_CODEC_AUTH) instead.`,
        }
      );
    case 'operation-suffix':
      return fail(
        'codec.url.operation-suffix',
        `Codec endpoint ends with ${issue.suffix}; the Web UI and CLI append /decode themselves and would call ${issue.suffix}/decode`,
        { ...details, fix: `Set ${name} to ${issue.suggestion}: drop the ${issue.suffix} suffix.` }
      );
    case 'query-or-fragment':
      return fail(
        'codec.url.query-or-fragment',
        `Codec endpoint has ${sanitize(issue.part, 100)} that would end up before the appended /decode`,
        {
          ...details,
          fix: `Set ${name} to ${issue.suggestion}; route by namespace with {namespace} in the path or the X-Namespace header instead.`,
        }
      );
    case 'mixed-content': {
      const host = analysis.endpoint?.hostname ?? '';
      const fix = `Serve the codec server over https and set ${name} to its https:// URL; plain http works only from a Web UI on http or for localhost.`;
      return issue.httpsOrigins.length
        ? fail(
            'codec.url.mixed-content',
            `The Web UI at ${issue.httpsOrigins.join(', ')} cannot call plain-http ${host}: browsers block mixed content`,
            {
              ...details,
              fix,
            }
          )
        : warn(
            'codec.url.mixed-content',
            `Codec endpoint uses plain http to ${host}; a Web UI served over https cannot call it (mixed content)`,
            {
              ...details,
              fix,
            }
          );
    }
  }
}
