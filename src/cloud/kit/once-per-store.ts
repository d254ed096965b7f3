import type { CloudDeps } from "../deps.ts";
import type { Store } from "../store.ts";

/**
 * Makes `build` run once per store: services created separately with the same deps (LocalCloud,
 * Clean Rooms, AMC) reach the very instance, whatever the order they are created in.
 */
export function oncePerStore<T>(build: (deps: CloudDeps) => T): (deps: CloudDeps) => Promise<T> {
  const instances = new WeakMap<Store, Promise<T>>();
  return (deps) => {
    let instance = instances.get(deps.store);
    if (!instance) {
      instance = Promise.resolve(build(deps));
      instances.set(deps.store, instance);
    }
    return instance;
  };
}
