// Command ferretdb runs embedded FerretDB (SQLite backend, or PostgreSQL when asked) as a
// throwaway, loopback-only MongoDB-compatible server for local development and tests.
//
// The embedded package starts no telemetry reporter and no debug HTTP server
// (both live only in FerretDB's own cmd), so this process makes no outbound calls.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "loopback host:port; port 0 picks a free one")
	sqliteDir := flag.String("sqlite-dir", ".data/db", "directory holding the SQLite files")
	// Opt-in, for benchmarks: FerretDB's PostgreSQL backend evaluates equality filters on any
	// field in PostgreSQL, where the SQLite backend pushes down only a filter of exactly {_id}.
	postgresqlURL := flag.String("postgresql-url", "",
		"use this PostgreSQL (loopback or unix socket only) instead of SQLite, e.g. postgres://user@127.0.0.1:5432/ferretdb")
	serialize := flag.String("serialize", "writes",
		`"writes": serialise writes per collection, reads concurrent; "all": one command at a time; "off" (see serialize.go)`)
	// Below error, every failed command (a duplicate key included) is logged with the full
	// request and response documents: noisy in tests, and those documents may hold personal data.
	level := slog.LevelError
	flag.TextVar(&level, "log-level", level, "debug, info, warn or error")
	profileDir := flag.String("cpu-profile-dir", "", "benchmarks: each pair of SIGUSR1s writes a CPU profile here (profile.go)")
	flag.Parse()

	mode := map[string]string{"true": "all", "false": "off"}[*serialize]
	if mode == "" {
		mode = *serialize
	}
	if mode != "writes" && mode != "all" && mode != "off" {
		fmt.Fprintln(os.Stderr, "ferretdb: -serialize must be writes, all or off")
		os.Exit(2)
	}
	if err := run(*listenAddr, *sqliteDir, *postgresqlURL, mode, level, *profileDir); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listenAddr, sqliteDir, postgresqlURL, serialize string, level slog.Level, profileDir string) error {
	host, _, err := net.SplitHostPort(listenAddr)
	if err != nil {
		return err
	}
	// Personal data may land in this store, so it must never be reachable off-host.
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing non-loopback -listen-addr %q", listenAddr)
	}

	backend := &ferretdb.Config{Handler: "postgresql", PostgreSQLURL: postgresqlURL}
	sqliteIndexDir := ""
	if postgresqlURL != "" {
		if err = checkLocalPostgreSQL(postgresqlURL); err != nil {
			return err
		}
	} else {
		dir, err := filepath.Abs(sqliteDir)
		if err != nil {
			return err
		}
		if err = os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		backend = &ferretdb.Config{Handler: "sqlite", SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/"}).String()}
		sqliteIndexDir = dir
	}

	var front net.Listener
	ferretAddr := listenAddr
	if serialize != "off" {
		if front, err = net.Listen("tcp", listenAddr); err != nil {
			return err
		}
		ferretAddr = "127.0.0.1:0"
	}

	backend.Listener = ferretdb.ListenerConfig{TCP: ferretAddr}
	backend.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	f, err := ferretdb.New(backend)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go exitWithParent(cancel)
	if sqliteIndexDir != "" {
		go keepIDLookupIndexes(ctx, sqliteIndexDir, backend.Logger)
	}
	if profileDir != "" {
		go profileOnSignal(ctx, profileDir, backend.Logger)
	}

	// Both listeners are already bound, so the real port (when 0 was asked) is known;
	// the launcher reads this line instead of guessing a free port and racing for it.
	uri := f.MongoDBURI()
	if front != nil {
		ferretURI, _ := url.Parse(uri)
		go (&serialProxy{backend: ferretURI.Host, mode: serialize}).serve(ctx, front)
		uri = (&url.URL{Scheme: "mongodb", Host: front.Addr().String(), Path: "/"}).String()
	}
	fmt.Println(uri)

	return f.Run(ctx)
}

// checkLocalPostgreSQL refuses a PostgreSQL that is not on this host: the data must
// stay on it, as with the SQLite files. A host parameter naming a directory is a unix socket.
func checkLocalPostgreSQL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return fmt.Errorf("-postgresql-url must be a postgres:// URL")
	}
	host := u.Hostname()
	if socket := u.Query().Get("host"); socket != "" {
		host = socket
	}
	if strings.HasPrefix(host, "/") {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing a non-loopback PostgreSQL host %q", host)
	}
	return nil
}

// exitWithParent stops the server once it has been re-parented, so a test run
// killed with SIGKILL does not leave an orphan holding its port and files.
func exitWithParent(cancel context.CancelFunc) {
	parent := os.Getppid()
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			cancel()
			return
		}
	}
}
