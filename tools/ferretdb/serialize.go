package main

import (
	"bufio"
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
// front of FerretDB and lets exactly one command run at a time, server-wide.
type serialProxy struct {
	mu      sync.Mutex
	backend string
}

const (
	opMsg      = 2013
	moreToCome = 1 << 1
	maxMessage = 48_000_000 // FerretDB's advertised maxMessageSizeBytes
)

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

// exchange holds the lock until the command's last reply has been relayed, so the next
// command starts only after this one has been fully applied.
func (p *serialProxy) exchange(req []byte, backend io.Writer, fromBackend *bufio.Reader, client io.Writer) error {
	p.mu.Lock()
	defer p.mu.Unlock()

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
