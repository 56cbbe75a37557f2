/** Walking a graph given by its edges: a lifecycle's states, an automaton's epsilon moves. */

/**
 * `start` and every node reachable from it by `next`, breadth first: the set iterates in the order
 * the nodes were reached (`start` first, then by distance, ties in `next`'s order).
 */
export function reachable<T>(start: Iterable<T>, next: (node: T) => Iterable<T>): Set<T> {
  const seen = new Set(start);
  const queue = [...seen];
  for (let i = 0; i < queue.length; i++) {
    for (const target of next(queue[i]!)) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return seen;
}
