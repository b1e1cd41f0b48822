// dist/cli.js: the command's entry point (package.json "bin"), loading the compiled CLI.
import { chmodSync, writeFileSync } from 'node:fs';
writeFileSync('dist/cli.js', "#!/usr/bin/env node\nimport './cli/cli.js';\n");
chmodSync('dist/cli.js', 0o755);
