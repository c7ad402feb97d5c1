package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"sync"
)

// FerretDB v1 evaluates an update's filter and writes the result in separate steps
// (upstream issue 3040), so two concurrent conditional updates can both "win" and
// concurrent $inc loses increments. The application relies on MongoDB's
// single-document atomicity for claims and state transitions, so this proxy sits in
// front of FerretDB and keeps writes that could race from running at the same time.
//
// Modes:
//   - "all": one command at a time, server-wide (the original behaviour).
//   - "writes": commands that change nothing (find, getMore, aggregate without $out or
//     $merge, count, listings, hello, ...) pass straight through, concurrently with
//     everything; every other command still runs one at a time. Writes are what race,
//     and SQLite allows one writer per database file anyway, so serialising them costs
//     little; reads no longer queue behind every write. A read sees the state before or
//     after a concurrent write, as it may on MongoDB.
type serialProxy struct {
	backend string
	mode    string
	writes  sync.Mutex
}

const (
	opMsg      = 2013
	moreToCome = 1 << 1
	maxMessage = 48_000_000 // FerretDB's advertised maxMessageSizeBytes
)

// Commands that change nothing. Anything not listed is treated as a write.
var readCommands = map[string]bool{
	"find": true, "getMore": true, "aggregate": true, "count": true, "distinct": true,
	"listCollections": true, "listIndexes": true, "listDatabases": true, "killCursors": true,
	"hello": true, "isMaster": true, "ismaster": true, "ping": true, "buildInfo": true,
	"buildinfo": true, "serverStatus": true, "dbStats": true, "collStats": true,
	"endSessions": true, "getParameter": true, "whatsmyuri": true, "connectionStatus": true,
	"getLog": true, "hostInfo": true, "explain": true,
}

func (p *serialProxy) serve(ctx context.Context, ln net.Listener) {
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go p.handle(ctx, conn)
	}
}

func (p *serialProxy) handle(ctx context.Context, client net.Conn) {
	defer client.Close()
	backend, err := net.Dial("tcp", p.backend)
	if err != nil {
		return
	}
	defer backend.Close()
	stop := context.AfterFunc(ctx, func() { client.Close() })
	defer stop()

	fromClient, fromBackend := bufio.NewReader(client), bufio.NewReader(backend)
	for {
		req, err := readMessage(fromClient)
		if err != nil || p.exchange(req, backend, fromBackend, client) != nil {
			return
		}
	}
}

// exchange holds the command's lock (if it takes one) until its last reply has been
// relayed, so the next write starts only after this one has been fully applied.
func (p *serialProxy) exchange(req []byte, backend io.Writer, fromBackend *bufio.Reader, client io.Writer) error {
	unlock := p.lock(req)
	defer unlock()

	if _, err := backend.Write(req); err != nil {
		return err
	}
	if hasMoreToCome(req) { // unacknowledged write: no reply will come
		return nil
	}
	for {
		res, err := readMessage(fromBackend)
		if err != nil {
			return err
		}
		if _, err = client.Write(res); err != nil {
			return err
		}
		if !hasMoreToCome(res) {
			return nil
		}
	}
}

func (p *serialProxy) lock(req []byte) (unlock func()) {
	if p.mode == "writes" {
		if name := commandOf(req); readCommands[name] && !writesViaPipeline(name, req) {
			return func() {}
		}
	}
	p.writes.Lock()
	return p.writes.Unlock
}

// An aggregate with $out or $merge writes; checking the raw bytes errs on the safe side.
func writesViaPipeline(name string, req []byte) bool {
	return name == "aggregate" && (bytes.Contains(req, []byte("$out\x00")) || bytes.Contains(req, []byte("$merge\x00")))
}

// commandOf reads the command name (the body's first key) of an OP_MSG whose first
// section is the body; anything else gives "" and is treated as a write.
func commandOf(msg []byte) string {
	// header (16) + flagBits (4) + section kind (1) + document length (4) + element type (1)
	if len(msg) < 27 || binary.LittleEndian.Uint32(msg[12:16]) != opMsg || msg[20] != 0 {
		return ""
	}
	name := msg[26:]
	end := bytes.IndexByte(name, 0)
	if end < 0 {
		return ""
	}
	return string(name[:end])
}

func readMessage(r io.Reader) ([]byte, error) {
	var size [4]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, err
	}
	n := binary.LittleEndian.Uint32(size[:])
	if n < 16 || n > maxMessage {
		return nil, fmt.Errorf("invalid wire message length %d", n)
	}
	msg := make([]byte, n)
	copy(msg, size[:])
	_, err := io.ReadFull(r, msg[4:])
	return msg, err
}

func hasMoreToCome(msg []byte) bool {
	return len(msg) >= 20 &&
		binary.LittleEndian.Uint32(msg[12:16]) == opMsg &&
		binary.LittleEndian.Uint32(msg[16:20])&moreToCome != 0
}
