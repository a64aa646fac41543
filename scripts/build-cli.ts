/**
 * `npm run build` (and `prepare`, which npm runs after `npm ci` and `npm install`): bundles the command into
 * `dist/cli.js` with esbuild, so `expiry-alerts` starts as plain JavaScript instead of compiling TypeScript
 * through tsx on every run.
 *
 * One ESM bundle for Node.js 20+, split so that `--version` and `--help` load only the flag parsing: the scan
 * (the AWS SDK, the CertCentral client, the state store) is a chunk loaded when a scan starts. The dependencies
 * are bundled, which starts faster than resolving hundreds of files in node_modules, except dynalite: its
 * LevelDB storage is a native addon found next to its package, so it stays in node_modules.
 *
 * `dist/build-inputs.json` lists the repository files the bundle was built from: `bin/expiry-alerts.js` runs the
 * TypeScript source instead (with a notice) when one of them changed after the build.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The process entry; `bin/expiry-alerts.js` runs its build, `dist/cli.js`. */
export const CLI_ENTRY = 'functions/cli-process.ts';
export const BUILD_DIR = 'dist';
export const BUILD_INPUTS_FILE = 'build-inputs.json';

/** Kept out of the bundle: loaded from node_modules at run time. */
const EXTERNAL_PACKAGES = ['dynalite'];

/** ESM bundles still load CommonJS dependencies that call `require`. */
const REQUIRE_BANNER =
  "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);";

export interface CliBuild {
  /** The built command, `<root>/dist/cli.js`. */
  entry: string;
  /** Repository files it was built from, relative to the root (`functions/cli.ts`, `package.json`, ...). */
  inputs: string[];
  /** Bytes written, the entry and its chunks. */
  bytes: number;
  /**
   * The modules loaded before the command parses its flags (the entry and the chunks it imports statically):
   * what `--version` and `--help` cost. The scan's, the review commands' and test-alert's code is not among them.
   */
  startupModules: string[];
}

/** How this repository bundles code that runs on Node.js (the command, the benchmark's child processes). */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL_PACKAGES,
  banner: { js: REQUIRE_BANNER },
  logLevel: 'warning',
} as const;

/**
 * Builds `<root>/dist/` (or `outdir`) afresh (old chunks removed). `root` is a checkout of this repository whose
 * node_modules resolve; tests build a copy elsewhere, or into a folder of their own.
 */
export async function buildCli(root: string = REPO_ROOT, outdir = join(root, BUILD_DIR)): Promise<CliBuild> {
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    ...NODE_BUNDLE,
    absWorkingDir: root,
    entryPoints: { cli: CLI_ENTRY },
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs)
    .map((input) => relative(root, join(root, input)))
    .filter((input) => !input.startsWith('..') && !input.split(/[\\/]/).includes('node_modules'))
    .sort();
  await writeFile(join(outdir, BUILD_INPUTS_FILE), `${JSON.stringify(inputs, null, 2)}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
  return {
    entry: join(outdir, 'cli.js'),
    inputs,
    bytes,
    startupModules: startupModules(result.metafile, root),
  };
}

type Metafile = {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }>;
};

/** The inputs of the entry's output and of every output it imports statically, transitively. */
function startupModules(metafile: Metafile, root: string): string[] {
  const entry = Object.keys(metafile.outputs).find((output) => output.endsWith('cli.js'));
  const seen = new Set<string>();
  const visit = (output: string) => {
    if (seen.has(output)) return;
    seen.add(output);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === 'import-statement' && imported.path in metafile.outputs) visit(imported.path);
    }
  };
  if (entry) visit(entry);
  return [...seen]
    .flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {}))
    .map((input) => relative(root, join(root, input)))
    .sort();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = performance.now();
  const built = await buildCli();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `${relative(process.cwd(), built.entry)}: built from ${built.inputs.length} source files, ${(built.bytes / 1e6).toFixed(1)} MB, in ${seconds} s\n`,
  );
}
