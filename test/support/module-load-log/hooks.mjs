// Module customization hooks (node:module register) for register.mjs: logs, then defers to the next loader.
export async function load(url, context, nextLoad) {
  if (!url.startsWith("node:")) process.stderr.write(`module-load ${url}\n`);
  return nextLoad(url, context);
}
