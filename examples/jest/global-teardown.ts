/** Stops the shop that global-setup.ts started. */
export default async function teardown() {
  const server = globalThis.shopServer
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
}
