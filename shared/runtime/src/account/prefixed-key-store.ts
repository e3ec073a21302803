import type { KeyStore } from '@enmesh/transport';

/**
 * A view of a key store in which every name gets the account's prefix (`<account>.<name>`), so that the
 * accounts of one runtime keep their device secrets, relationship keys and outboxes apart in one store.
 */
export function prefixedKeyStore(store: KeyStore, prefix: string): KeyStore {
  const named = (name: string) => `${prefix}.${name}`;
  return {
    load: (name) => store.load(named(name)),
    save: (name, value) => store.save(named(name), value),
    remove: (name) => store.remove(named(name)),
  };
}
