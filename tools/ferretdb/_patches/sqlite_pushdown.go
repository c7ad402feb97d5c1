// Added to FerretDB v1.24.2's SQLite backend by our launcher (tools/ferretdb/patches.json); not
// part of FerretDB. Without it, any filter other than {_id} makes the backend read every row of the
// collection and decode it in Go before the handler filters; with it, SQLite drops in C the rows that
// cannot match a plain string equality. The handler still applies the whole filter to every row
// returned (common.FilterIterator / FilterDocument), so this only has to keep every row that could
// match: a superset. MongoDB's {f: "x"} also matches where f (or any step on a dotted path) is an
// array, so a row whose schema says "array" anywhere on the path is kept too.

package sqlite

import (
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
)

// mappaPushdown adds one condition per top-level plain string equality of filter to where/args.
// It returns its arguments unchanged when no key qualifies.
func mappaPushdown(filter *types.Document, where string, args []any) (string, []any) {
	if filter == nil {
		return where, args
	}

	var conds []string

	for _, key := range filter.Keys() {
		if key == "_id" {
			continue // narrowed by FerretDB's own _id clause, which uses the _id index
		}

		v, _ := filter.Get(key)

		s, ok := v.(string)
		if !ok {
			continue
		}

		path, ok := splitPath(key)
		if !ok {
			continue
		}

		value := "$"
		schema := "$"
		alts := []string{metadata.DefaultColumn + " ->> ? = ?"}
		condArgs := []any{}

		for _, step := range path {
			value += `."` + step + `"`
			schema += `."$s".p."` + step + `"`
			alts = append(alts, metadata.DefaultColumn+" ->> ? = 'array'")
			condArgs = append(condArgs, schema+".t")
		}

		condArgs = append([]any{value, s}, condArgs...)
		conds = append(conds, "("+strings.Join(alts, " OR ")+")")
		args = append(args, condArgs...)
	}

	if len(conds) == 0 {
		return where, args
	}

	if where == "" {
		return " WHERE " + strings.Join(conds, " AND "), args
	}

	return where + " AND " + strings.Join(conds, " AND "), args
}

// splitPath splits a dotted field path, refusing anything that is not a plain key on every step
// (operators, empty steps, and characters that would need escaping in a JSON path).
func splitPath(key string) ([]string, bool) {
	steps := strings.Split(key, ".")
	for _, step := range steps {
		if step == "" || strings.HasPrefix(step, "$") || strings.ContainsAny(step, "\"\\'\x00") {
			return nil, false
		}
	}

	return steps, true
}
