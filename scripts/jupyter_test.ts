import assert from "node:assert/strict";
import { missingFrontEnd } from "./jupyter.ts";

Deno.test("missingFrontEnd() gives the install command that works here: apt as root, sudo otherwise, pip for JupyterLab", () => {
  assert.match(
    missingFrontEnd("notebook", "/p/.cache/jupyter", true),
    /: apt-get install jupyter-notebook;/,
  );
  assert.match(
    missingFrontEnd("notebook", "/p/.cache/jupyter", false),
    /sudo apt-get install jupyter-notebook/,
  );
  const lab = missingFrontEnd("lab", "/p/.cache/jupyter", true);
  assert.match(lab, /JupyterLab is not packaged in Debian 12: python3 -m venv/);
  assert.doesNotMatch(lab, /apt-get install jupyterlab/);
  assert.match(lab, /JUPYTER_PATH includes \/p\/.cache\/jupyter/);
});
