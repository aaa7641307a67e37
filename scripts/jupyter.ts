/**
 * Opens the notebooks in Jupyter with the Deno kernel, configured for this project.
 *
 * Writes a project-local kernelspec named `deno` (the kernel the notebooks name) into
 * `.cache/jupyter`, with `NO_COLOR=1` so text results carry no colour codes, puts that folder
 * first on `JUPYTER_PATH`, and starts `jupyter notebook` (or `jupyter lab`) in the project.
 * Every other argument is passed on to Jupyter (`--port 8890`, `--no-browser`, `--ip 0.0.0.0`);
 * as root, `--allow-root` is added, since Jupyter otherwise refuses to start.
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

/**
 * What to say when the front end is missing: the command that installs it here (apt as root,
 * with sudo otherwise; JupyterLab is not packaged in Debian 12, so pip in a virtual environment).
 *
 * @param app The front end asked for.
 * @param jupyterDir The project's kernelspec folder.
 * @param root Whether the process runs as root.
 * @returns The message.
 */
export function missingFrontEnd(
  app: "notebook" | "lab",
  jupyterDir: string,
  root: boolean,
): string {
  const apt = `${root ? "" : "sudo "}apt-get install jupyter-notebook`;
  const install = app === "lab"
    ? "JupyterLab is not packaged in Debian 12: python3 -m venv ~/jlab && ~/jlab/bin/pip install " +
      `jupyterlab, then put ~/jlab/bin on PATH (or use the notebook: ${apt})`
    : `On Debian or Ubuntu: ${apt}; elsewhere: pip install notebook`;
  return `jupyter ${app} is not installed. ${install}. Any front end works if JUPYTER_PATH ` +
    `includes ${jupyterDir}`;
}

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

async function main(args: string[]): Promise<number> {
  const app = args[0] === "lab" ? "lab" : "notebook";
  const rest = args[0] === "lab" || args[0] === "notebook" ? args.slice(1) : args;
  const jupyterDir = join(root, ".cache", "jupyter");
  const spec = await installKernelSpec(jupyterDir);
  console.log(`Deno kernel for this project: ${spec}`);
  const command = await findFrontEnd(app);
  if (!command) {
    console.error(missingFrontEnd(app, jupyterDir, isRoot()));
    return 1;
  }
  if (isRoot() && !rest.includes("--allow-root")) rest.push("--allow-root");
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
