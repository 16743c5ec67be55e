import type { ModuleGraph } from "./_module_graph.ts";

/**
 * Every import cycle in `graph` (type-only imports included: they tie the modules together
 * as much for a reader), one per strongly connected component, as the path that closes it:
 * `["a.ts", "b.ts", "a.ts"]`. Tarjan's algorithm, iterative.
 */
export function findCycles(graph: ModuleGraph): string[][] {
  const next = (
    node: string,
  ) => [...(graph.get(node)?.code ?? []), ...(graph.get(node)?.types ?? [])];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of [...graph.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; children: string[] }[] = [];
    const visit = (node: string) => {
      index.set(node, counter);
      low.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: next(node) });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const child = frame.children.shift();
      if (child !== undefined) {
        if (!index.has(child)) visit(child);
        else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = next(frame.node).includes(frame.node);
      if (component.length > 1 || selfLoop) cycles.push(cyclePath(new Set(component), next));
    }
  }
  return cycles;
}

/** A shortest path from the component's first module back to itself, through the component. */
function cyclePath(component: Set<string>, next: (node: string) => string[]): string[] {
  const start = [...component].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const child of next(node)) {
      if (!component.has(child)) continue;
      if (child === start) {
        const path = [start];
        for (
          let at: string | undefined = node;
          at !== undefined && at !== start;
          at = cameFrom.get(at)
        ) {
          path.unshift(at);
        }
        return [start, ...path];
      }
      if (!cameFrom.has(child)) {
        cameFrom.set(child, node);
        queue.push(child);
      }
    }
  }
  return [start, start];
}
