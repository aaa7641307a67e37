/**
 * Jupyter plumbing shared by the scripts: find (or install) Debian's Jupyter for the system
 * Python, and write a project-local kernelspec for the Deno kernel.
 *
 * @module
 */

import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Debian packages that provide `jupyter_client` and `nbformat` for `/usr/bin/python3`. */
export const JUPYTER_PACKAGES: readonly string[] = [
  "python3-nbclient",
  "jupyter-client",
  "jupyter-nbconvert",
];

/**
 * Name of the project-local kernelspec that runs the current Deno binary: `deno`, the kernel
 * the notebooks name, so one spec serves the headless runner and `task jupyter` alike (it
 * comes first on `JUPYTER_PATH`, ahead of a user-wide `deno` kernel).
 */
export const KERNEL_NAME = "deno";

/**
 * The Python that can import Jupyter: `$PRECEPTRON_PYTHON` when set, else `/usr/bin/python3`.
 *
 * A pyenv `python3` earlier on `PATH` cannot see apt's packages, hence the absolute path.
 *
 * @returns The path of the Python interpreter to run Jupyter with.
 */
export function jupyterPython(): string {
  try {
    const chosen = Deno.env.get("PRECEPTRON_PYTHON");
    if (chosen) return chosen;
  } catch {
    // Without env permission, use the default.
  }
  return "/usr/bin/python3";
}

/** Options for {@linkcode ensureJupyter}. */
export interface EnsureJupyterOptions {
  /** Python interpreter to check. Default: {@linkcode jupyterPython}. */
  python?: string;
  /** Install the Debian packages when missing, if running as root with apt-get. Default: true. */
  install?: boolean;
  /** Where progress lines go. Default: `console.error`. */
  log?: (line: string) => void;
}

/**
 * Make sure `jupyter_client` and `nbformat` can be imported, installing them with apt if needed.
 *
 * When they are missing and the process runs as root on a machine with `apt-get`, this runs
 * `apt-get update` and `apt-get install` for {@linkcode JUPYTER_PACKAGES}, saying so as it goes.
 *
 * @param options Which Python to check, whether installing is allowed, where to log.
 * @returns Resolves once the modules import.
 * @throws {Error} When they are missing and cannot be installed; the message says what to install.
 *
 * @example Check before running notebooks
 * ```ts ignore
 * import { ensureJupyter } from "./_jupyter.ts";
 *
 * await ensureJupyter();
 * ```
 */
export async function ensureJupyter(options: EnsureJupyterOptions = {}): Promise<void> {
  const python = options.python ?? jupyterPython();
  const log = options.log ?? ((line: string) => console.error(line));
  if (await canImportJupyter(python)) return;

  const advice = `Jupyter is missing for ${python}: it must import jupyter_client and nbformat. ` +
    `On Debian/Ubuntu run: sudo apt-get install -y ${JUPYTER_PACKAGES.join(" ")}`;
  if (options.install === false || python !== "/usr/bin/python3") throw new Error(advice);
  if (!isRoot() || !(await exists("/usr/bin/apt-get"))) throw new Error(advice);

  log(`Jupyter is missing for ${python}; installing ${JUPYTER_PACKAGES.join(", ")} with apt-get`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  await runLoud("apt-get", ["update"], env, log);
  await runLoud(
    "apt-get",
    ["install", "-y", "--no-install-recommends", ...JUPYTER_PACKAGES],
    env,
    log,
  );
  if (!(await canImportJupyter(python))) {
    throw new Error(`apt-get installed the packages, but ${advice}`);
  }
}

/**
 * The proxy the kernelspec starts in front of the Deno kernel: it hands the kernel one
 * execute_request at a time, because Deno's kernel stamps outputs of a cell with the parent header
 * of a later request it has already read, so "Run All" in a front end misplaces them.
 */
export const KERNEL_PROXY: string = fileURLToPath(new URL("kernel_proxy.py", import.meta.url));

/**
 * Write the kernelspec for the running Deno binary under `<jupyterDir>/kernels/<name>`.
 *
 * The spec runs {@linkcode KERNEL_PROXY} with {@linkcode jupyterPython}, which starts
 * `deno jupyter --kernel` behind it and serialises execute_requests. `deno jupyter --install` would
 * write under `~/.local` whatever `JUPYTER_PATH` says, so the spec is written by hand; point `JUPYTER_PATH` at `jupyterDir` to use it. `NO_COLOR` keeps ANSI colour
 * codes out of text results. The file is only rewritten when its content changes, and atomically,
 * so concurrent runs do not read half a file.
 *
 * @param jupyterDir The folder to put on `JUPYTER_PATH`, e.g. `<project>/.cache/jupyter`.
 * @param name The kernelspec name. Default: {@linkcode KERNEL_NAME}.
 * @returns The path of the `kernel.json` written.
 */
export async function installKernelSpec(
  jupyterDir: string,
  name: string = KERNEL_NAME,
): Promise<string> {
  const file = join(jupyterDir, "kernels", name, "kernel.json");
  const spec = {
    argv: [
      jupyterPython(),
      KERNEL_PROXY,
      "--",
      Deno.execPath(),
      "jupyter",
      "--kernel",
      "--conn",
      "{connection_file}",
    ],
    display_name: "Deno (PrecepTron project)",
    language: "typescript",
    env: { NO_COLOR: "1" },
  };
  const text = JSON.stringify(spec, null, 2) + "\n";
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (current === text) return file;
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${Deno.pid}.tmp`;
  await writeFile(partial, text);
  await rename(partial, file);
  return file;
}

async function canImportJupyter(python: string): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(python, {
      args: ["-c", "import jupyter_client, nbformat"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    // The interpreter itself is missing.
    return false;
  }
}

function isRoot(): boolean {
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function runLoud(
  command: string,
  args: string[],
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  log(`$ ${command} ${args.join(" ")}`);
  // Inherit stdio so a slow install shows its progress.
  const { code } = await new Deno.Command(command, {
    args,
    env,
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed with exit code ${code}`);
}
