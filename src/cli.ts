/** The executable: runs main and exits with its status. */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`telemute: fatal: ${(err as Error)?.stack ?? err}\n`);
    process.exit(1);
  },
);
