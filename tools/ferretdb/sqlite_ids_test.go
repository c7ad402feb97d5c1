package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// The query FerretDB v1's SQLite backend runs for a filter of exactly {_id} (collection.go, with
// metadata.IDColumn), against a table and _id index as its registry creates them.
const lookupByID = `SELECT _ferretdb_sjson FROM "cases_1234abcd" WHERE _ferretdb_sjson->'$._id' = ?`

func plan(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query("EXPLAIN QUERY PLAN "+lookupByID, `"case-1"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return strings.Join(steps, "; ")
}

func TestIDLookupIndexServesFerretDBsLookupByID(t *testing.T) {
	file := filepath.Join(t.TempDir(), "mappa.sqlite")
	db, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE "cases_1234abcd" (_ferretdb_sjson TEXT NOT NULL CHECK(_ferretdb_sjson != '')) STRICT`,
		`CREATE UNIQUE INDEX "cases_1234abcd__id_" ON "cases_1234abcd" (_ferretdb_sjson->"_id")`,
		`INSERT INTO "cases_1234abcd" VALUES ('{"_id":"case-1"}'), ('{"_id":"case-2"}')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}

	// FerretDB's own _id index does not serve its own lookup: a scan.
	if p := plan(t, db); !strings.Contains(p, "SCAN") {
		t.Fatalf("expected a scan without our index, got %q", p)
	}

	if err := addIDLookupIndexes(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	// EXPLAIN reads no table, so this connection must read the schema to learn of the index another
	// connection added; FerretDB's real lookups read the table and re-plan by themselves.
	if _, err := db.Exec(`SELECT count(*) FROM sqlite_master`); err != nil {
		t.Fatal(err)
	}
	if p := plan(t, db); !strings.Contains(p, "USING INDEX cases_1234abcd_local_id_lookup") {
		t.Fatalf("expected the lookup to use the added index, got %q", p)
	}
	var found string
	if err := db.QueryRow(lookupByID, `"case-2"`).Scan(&found); err != nil || found != `{"_id":"case-2"}` {
		t.Fatalf("lookup through the index: %q, %v", found, err)
	}
	// Idempotent, and never creates a database that is not there.
	if err := addIDLookupIndexes(context.Background(), file); err != nil {
		t.Fatal(err)
	}
	if err := addIDLookupIndexes(context.Background(), filepath.Join(t.TempDir(), "dropped.sqlite")); err == nil {
		t.Fatal("expected an error for a database file that does not exist")
	}
	if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "dropped.sqlite*")); len(matches) != 0 {
		t.Fatalf("a missing database was created: %v", matches)
	}
}
