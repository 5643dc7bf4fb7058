/**
 * The V8 flags the bridge is deployed with that bear on CPU: `NODE_OPTIONS` in deploy/base/kustomization.yaml carries
 * the first, the image's command line (Dockerfile) the others, which `NODE_OPTIONS` refuses; docker-compose.yml and
 * `npm run start:prod` pass all three. The benchmark gives them to both servers alike. test/deploy/manifests.spec.ts
 * checks NODE_OPTIONS, the Dockerfile's CMD, docker-compose.yml and start:prod against this list.
 *
 * - A young generation large enough that a screen pop's short-lived objects die before a scavenge, and kept at that
 *   size: each server idles while the other is measured, and without the minimum V8's memory reducer shrank the young
 *   generation during those spells; the round after one promoted its pops' objects.
 * - No allocation-site pretenuring: when a scavenge found a site's objects alive (they belonged to pops still in
 *   flight), V8 decided to allocate that site's objects in the old generation from then on. Those objects died with
 *   their pops but, being old, held the pops' young objects through every scavenge until a full collection: the bridge
 *   promoted 330-430 KB per scavenge (57 KB with this flag) and ran a full collection every few seconds
 *   (docs/benchmarks.md, "The deployment's V8 flags").
 */
export const DEPLOYMENT_NODE_FLAGS = [
  '--max-semi-space-size=32',
  '--min-semi-space-size=32',
  '--no-allocation-site-pretenuring',
] as const;
