package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
)

// profileOnSignal writes a Go CPU profile of this server between two SIGUSR1s, so a benchmark
// can profile exactly the window it measures: the first signal starts <dir>/ferretdb-<n>.pprof,
// the next one finishes it. Off unless -cpu-profile-dir is given.
func profileOnSignal(ctx context.Context, dir string, log *slog.Logger) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGUSR1)
	defer signal.Stop(signals)

	var current *os.File
	finish := func() {
		if current != nil {
			pprof.StopCPUProfile()
			_ = current.Close()
			current = nil
		}
	}
	defer finish()

	for n := 1; ; {
		select {
		case <-ctx.Done():
			return
		case <-signals:
		}
		if current != nil {
			finish()
			continue
		}
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("ferretdb-%d.pprof", n)))
		if err != nil {
			log.Error("cpu profile", "error", err)
			continue
		}
		if err = pprof.StartCPUProfile(f); err != nil {
			log.Error("cpu profile", "error", err)
			_ = f.Close()
			continue
		}
		current = f
		n++
	}
}
