/** The DAG shape the renderer needs (what `definitionGraph` in pipeline/graph.ts returns). */
export interface GraphInput {
  readonly steps: readonly {
    readonly name: string;
    readonly type: string;
    readonly parent?: { readonly branch: 'if' | 'else' };
  }[];
  readonly edges: readonly {
    readonly from: string;
    readonly to: string;
    readonly kind: 'data' | 'depends' | 'branch';
  }[];
}

export interface MermaidOptions {
  /** Step name → status (Succeeded, Failed, Executing...); colours the nodes. Steps without one are drawn as not run. */
  readonly statuses?: ReadonlyMap<string, string>;
  /** Extra text under a step's name (e.g. its duration). */
  readonly notes?: ReadonlyMap<string, string>;
}

const STATUS_CLASSES: Readonly<Record<string, string>> = {
  Succeeded: 'succeeded',
  Failed: 'failed',
  Executing: 'running',
  Starting: 'running',
  Stopping: 'stopped',
  Stopped: 'stopped',
};

const CLASS_STYLES: Readonly<Record<string, string>> = {
  succeeded: 'fill:#d3f9d8,stroke:#2b8a3e,color:#0b3d17',
  failed: 'fill:#ffe3e3,stroke:#c92a2a,color:#5c0a0a',
  running: 'fill:#d0ebff,stroke:#1971c2,color:#0b2e52',
  stopped: 'fill:#fff3bf,stroke:#e67700,color:#4d2800',
  notrun: 'fill:#f1f3f5,stroke:#adb5bd,color:#495057,stroke-dasharray:4 3',
};

/**
 * The pipeline DAG as a Mermaid flowchart (GitHub renders it in job summaries and comments). Data
 * dependencies are solid arrows, DependsOn dotted, Condition branches labelled if/else.
 */
export function renderMermaid(graph: GraphInput, options: MermaidOptions = {}): string {
  const ids = new Map(graph.steps.map((step, index) => [step.name, `s${index}`]));
  const lines = ['flowchart TD'];
  for (const step of graph.steps)
    lines.push(`  ${node(ids.get(step.name) ?? '', step, options.notes?.get(step.name))}`);
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (from && to) lines.push(`  ${from} ${arrow(edge, graph)} ${to}`);
  }
  if (options.statuses) lines.push(...statusClasses(graph, ids, options.statuses));
  return lines.join('\n');
}

function node(id: string, step: GraphInput['steps'][number], note: string | undefined): string {
  const label = `"${escapeLabel(step.name)}<br/><small>${escapeLabel(note ? `${step.type} · ${note}` : step.type)}</small>"`;
  switch (step.type) {
    case 'Condition':
      return `${id}{${label}}`;
    case 'Fail':
      return `${id}[[${label}]]`;
    case 'Lambda':
      return `${id}([${label}])`;
    default:
      return `${id}[${label}]`;
  }
}

function arrow(edge: GraphInput['edges'][number], graph: GraphInput): string {
  if (edge.kind === 'depends') return '-.->';
  if (edge.kind === 'branch') {
    const branch = graph.steps.find((step) => step.name === edge.to)?.parent?.branch ?? 'if';
    return `-- ${branch} -->`;
  }
  return '-->';
}

function statusClasses(
  graph: GraphInput,
  ids: ReadonlyMap<string, string>,
  statuses: ReadonlyMap<string, string>,
): string[] {
  const members = new Map<string, string[]>();
  for (const step of graph.steps) {
    const status = statuses.get(step.name);
    const className = status === undefined ? 'notrun' : (STATUS_CLASSES[status] ?? 'running');
    members.set(className, [...(members.get(className) ?? []), ids.get(step.name) ?? '']);
  }
  const lines: string[] = [];
  for (const [className, nodeIds] of members) {
    lines.push(`  classDef ${className} ${CLASS_STYLES[className]}`);
    lines.push(`  class ${nodeIds.join(',')} ${className}`);
  }
  return lines;
}

/** Mermaid labels in quotes accept entity codes; quotes and angle brackets must not reach the parser raw. */
function escapeLabel(text: string): string {
  return text.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
