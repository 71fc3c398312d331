// Builds consult's static assets from the pinned npm packages: compiles our Sass over GOV.UK
// Frontend (without the GDS Transport font, which only GOV.UK may use) and copies its script and
// images. Output goes to consult/static/, which is generated and never committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const frontend = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "consult", "static");

rmSync(join(out, "govuk"), { recursive: true, force: true });
mkdirSync(join(out, "css"), { recursive: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const result = sass.compile(join(root, "consult", "assets", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin", "mixed-decls", "slash-div"],
});
writeFileSync(join(out, "css", "app.css"), result.css);

cpSync(join(frontend, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(frontend, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
cpSync(join(frontend, "assets", "manifest.json"), join(out, "govuk", "assets", "manifest.json"));
console.log("assets: built consult/static/css/app.css and copied GOV.UK Frontend script and images");
