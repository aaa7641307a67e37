/**
 * Opens the notebooks in Jupyter with the Deno kernel, configured for this project.
 *
 * Writes a project-local kernelspec named `deno` (the kernel the notebooks name) into
 * `.cache/jupyter`, with `NO_COLOR=1` so text results carry no colour codes, puts that folder
 * first on `JUPYTER_PATH`, and starts `jupyter notebook` (or `jupyter lab`) in the project.
 *
 * Usage: `deno task jupyter [notebook|lab] [jupyter options…]`.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { installKernelSpec } from "./_jupyter.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * The command that starts the front end, or `undefined` when it is not installed.
 *
 * @param app `"notebook"` or `"lab"`.
 */
export async function findFrontEnd(app: "notebook" | "lab"): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":").concat("/usr/bin")) {
    const candidate = join(dir, `jupyter-${app}`);
    try {
      if ((await Deno.stat(candidate)).isFile) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function main(args: string[]): Promise<number> {
  const app = args[0] === "lab" ? "lab" : "notebook";
  const rest = args[0] === "lab" || args[0] === "notebook" ? args.slice(1) : args;
  const jupyterDir = join(root, ".cache", "jupyter");
  const spec = await installKernelSpec(jupyterDir, "deno");
  console.log(`Deno kernel for this project: ${spec}`);
  const command = await findFrontEnd(app);
  if (!command) {
    console.error(
      `jupyter ${app} is not installed. On Debian or Ubuntu: sudo apt-get install ` +
        `${app === "lab" ? "jupyterlab (or use notebook)" : "jupyter-notebook"}; ` +
        "elsewhere: pip install notebook. Any front end works if JUPYTER_PATH includes " +
        jupyterDir,
    );
    return 1;
  }
  const path = [jupyterDir, Deno.env.get("JUPYTER_PATH")].filter(Boolean).join(":");
  const child = new Deno.Command(command, {
    args: rest,
    cwd: root,
    env: { JUPYTER_PATH: path },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
