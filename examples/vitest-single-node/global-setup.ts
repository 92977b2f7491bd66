/** Starts the shop once for the whole run and tells the scenarios where it is (SHOP_URL: test workers inherit it). */
import { startShop } from './shop.js'

export default async function setup() {
  const { url, server } = await startShop()
  process.env.SHOP_URL = url
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
}
