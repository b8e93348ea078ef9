// Removes compiled output so that deleted sources never leave stale tests behind.
import { rmSync } from 'node:fs';
for (const dir of ['build', 'dist']) rmSync(new URL(`../${dir}`, import.meta.url), { recursive: true, force: true });
