import { parser } from '@prometheus-io/lezer-promql';

/**
 * PromQL read by Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of Prometheus' web UI, published
 * from the Prometheus repository): what an expression selects and groups by, and where it does not parse. The grammar
 * checks syntax, not types; the one type error it would miss that these expressions could make, a range function
 * given an instant vector (`rate(x)`), is checked here.
 */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Functions whose argument is a range vector (Prometheus, "Query functions"). */
const RANGE_FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'changes',
  'resets',
  'predict_linear',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'quantile_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'last_over_time',
  'present_over_time',
  'absent_over_time',
]);

export interface Selector {
  /** Undefined for a selector without a metric name (`{job="x"}`). */
  metric?: string;
  matchers: { label: string; op: string; value: string }[];
}

export interface ParsedPromQl {
  /** Where the grammar found an error, as `offset: text around it`; empty when the expression parses. */
  errors: string[];
  selectors: Selector[];
  /** Labels named in `by`, `without`, `on` and `ignoring`. */
  groupingLabels: string[];
  /** Functions called, by name. */
  functions: string[];
}

export function parsePromQl(expr: string): ParsedPromQl {
  const result: ParsedPromQl = { errors: [], selectors: [], groupingLabels: [], functions: [] };
  const text = (node: SyntaxNode) => expr.slice(node.from, node.to);
  if (expr.trim() === '') result.errors.push('0: empty expression');
  parser.parse(expr).iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.type.isError) {
        result.errors.push(`${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
      } else if (node.name === 'VectorSelector') {
        result.selectors.push(selector(node, text));
      } else if (node.name === 'GroupingLabels') {
        result.groupingLabels.push(...node.getChildren('LabelName').map(text));
      } else if (node.name === 'FunctionCall') {
        const name = text(node.getChild('FunctionIdentifier')!);
        result.functions.push(name);
        const rangeArgument =
          node.getChild('FunctionCallBody')?.getChildren('MatrixSelector').length ||
          node.getChild('FunctionCallBody')?.getChildren('SubqueryExpr').length;
        if (RANGE_FUNCTIONS.has(name) && !rangeArgument) {
          result.errors.push(`${node.from}: ${name}() takes a range vector, e.g. ${name}(metric[5m])`);
        }
      }
    },
  });
  return result;
}

function selector(node: SyntaxNode, text: (node: SyntaxNode) => string): Selector {
  const name = node.getChild('Identifier');
  const matchers = (node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []).map((matcher) => {
    const value = text(matcher.getChild('StringLiteral')!);
    return {
      label: text(matcher.getChild('LabelName')!),
      op: text(matcher.getChild('MatchOp')!),
      // A PromQL string literal: JSON's escapes for double quotes; single quotes and backticks hold no escapes here.
      value: value.startsWith('"') ? (JSON.parse(value) as string) : value.slice(1, -1),
    };
  });
  return { metric: name ? text(name) : undefined, matchers };
}
