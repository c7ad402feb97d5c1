package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses for these files
)

// FerretDB v1's SQLite backend finds a document by _id with `_ferretdb_sjson->'$._id' = ?`
// (metadata.IDColumn), but builds its _id index on `_ferretdb_sjson->"_id"`: the same value written
// as a different expression, which SQLite never matches to the query, so every find, update and
// delete by _id reads the whole table (measured: 10 ms at 6,000 documents, growing with the table).
// keepIDLookupIndexes gives every collection table an index on the expression the lookups use. It
// changes no document and no answer: FerretDB does not know of the index, and dropping a collection
// or a database drops it with its table or file.
func keepIDLookupIndexes(ctx context.Context, dir string, log *slog.Logger) {
	seen := map[string]time.Time{}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			changed := lastChange(file)
			if at, ok := seen[file]; ok && !changed.After(at) {
				continue
			}
			if err := addIDLookupIndexes(ctx, file); err != nil {
				// Tried again at the next change; a lookup without the index is only slower.
				log.Debug("id lookup index", "file", filepath.Base(file), "error", err)
				continue
			}
			seen[file] = changed
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// lastChange is when the database file or its write-ahead log last changed (a new table lands in the
// log first).
func lastChange(file string) time.Time {
	var latest time.Time
	for _, f := range []string{file, file + "-wal"} {
		if st, err := os.Stat(f); err == nil && st.ModTime().After(latest) {
			latest = st.ModTime()
		}
	}
	return latest
}

func addIDLookupIndexes(ctx context.Context, file string) error {
	// mode=rw: a database dropped meanwhile must stay gone, not be created afresh here.
	dsn := (&url.URL{Scheme: "file", Path: file, RawQuery: "mode=rw&_pragma=busy_timeout(10000)"}).String()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `
		SELECT t.name FROM sqlite_master t
		 WHERE t.type = 'table' AND t.sql LIKE '%_ferretdb_sjson%'
		   AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.name || '_local_id_lookup')`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var name string
		if err = rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	if err = rows.Close(); err != nil {
		return err
	}
	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"_local_id_lookup", table)
		if _, err = db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
