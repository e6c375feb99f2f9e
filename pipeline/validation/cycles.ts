import { stepEdges, type StepEdge } from '../inspect/edges';
import type { FlatStep } from '../inspect/steps';
import { issue, type ValidationIssue } from './issue';

/**
 * Steps that wait for each other can never start. A step waits for the steps it reads (data), the steps
 * in its DependsOn and, inside a branch, its Condition. One issue per cycle, at the edge that closes it
 * in the step written first.
 */
export function checkCycles(steps: readonly FlatStep[]): ValidationIssue[] {
  const order = [...new Set(steps.flatMap((step) => (step.name === undefined ? [] : [step.name])))];
  const waitsFor = new Map<string, StepEdge[]>(order.map((name) => [name, []]));
  stepEdges(steps).forEach((edge) => waitsFor.get(edge.to)?.push(edge));
  return stronglyConnected(order, waitsFor).flatMap((component) => {
    const start = order.find((name) => component.has(name));
    const cycle = start === undefined ? undefined : shortestCycle(start, component, waitsFor);
    if (!cycle?.[0]) return [];
    const description = cycle.map(describeEdge).join(', ');
    return [issue(cycle[0].path, `dependency cycle: ${description}; steps in a cycle can never start`)];
  });
}

function describeEdge(edge: StepEdge): string {
  switch (edge.kind) {
    case 'data':
      return `"${edge.to}" waits for "${edge.from}" (reads ${edge.expression ?? 'its properties'})`;
    case 'depends':
      return `"${edge.to}" waits for "${edge.from}" (DependsOn)`;
    default:
      return `"${edge.to}" waits for "${edge.from}" (is in its branch)`;
  }
}

/** Tarjan's algorithm; returns components that hold a cycle (more than one step, or a self-loop). */
function stronglyConnected(
  order: readonly string[],
  waitsFor: ReadonlyMap<string, StepEdge[]>,
): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: Set<string>[] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const { from: next } of waitsFor.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = new Set<string>();
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member !== undefined) {
        onStack.delete(member);
        component.add(member);
      }
    } while (member !== undefined && member !== node);
    const selfLoop = (waitsFor.get(node) ?? []).some((edge) => edge.from === node);
    if (component.size > 1 || selfLoop) components.push(component);
  };
  order.forEach((node) => index.has(node) || connect(node));
  return components;
}

/** Breadth-first from `start` back to itself inside the component: the edges of the shortest cycle. */
function shortestCycle(
  start: string,
  component: ReadonlySet<string>,
  waitsFor: ReadonlyMap<string, StepEdge[]>,
): StepEdge[] | undefined {
  const via = new Map<string, StepEdge>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] ?? start;
    for (const edge of waitsFor.get(node) ?? []) {
      if (!component.has(edge.from)) continue;
      if (edge.from === start) return [...pathTo(node, start, via), edge];
      if (!via.has(edge.from)) {
        via.set(edge.from, edge);
        queue.push(edge.from);
      }
    }
  }
  return undefined;
}

function pathTo(node: string, start: string, via: ReadonlyMap<string, StepEdge>): StepEdge[] {
  const edges: StepEdge[] = [];
  for (let current = node; current !== start;) {
    const edge = via.get(current);
    if (!edge) break;
    edges.unshift(edge);
    current = edge.to;
  }
  return edges;
}
