declare module 'dynalite' {
  import type { Server } from 'node:http';

  namespace dynalite {
    interface Options {
      /** LevelDB directory; in memory when absent. */
      path?: string;
      createTableMs?: number;
      deleteTableMs?: number;
      updateTableMs?: number;
      maxItemSizeKb?: number;
    }
  }

  /** An HTTP server speaking the DynamoDB API; closing it closes the database. */
  function dynalite(options?: dynalite.Options): Server;
  export = dynalite;
}
