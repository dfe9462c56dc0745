// Command nslookup looks names up the way busybox 1.28's nslookup did.
//
// busybox 1.28 resolved through the C library, so the search list and ndots of
// /etc/resolv.conf applied: `nslookup web-sts-0.nginx-sts` finds the pod of a
// headless service. Later busybox releases send the name as typed, which is why
// Kubernetes tutorials pin busybox:1.28. This program keeps that behaviour and
// output format, resolving with Go's resolver (which honours search and ndots).
//
//	nslookup HOST [SERVER]
//
// It exits 1 when HOST cannot be resolved.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

func resolvConfNameserver() string {
	data, err := os.ReadFile("/etc/resolv.conf")
	if err != nil {
		return "127.0.0.1"
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 2 && fields[0] == "nameserver" {
			return fields[1]
		}
	}
	return "127.0.0.1"
}

func newResolver(server string, explicit bool) *net.Resolver {
	r := &net.Resolver{PreferGo: true}
	if explicit {
		r.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, net.JoinHostPort(server, "53"))
		}
	}
	return r
}

// describe prints "Address N: IP [NAME]" lines, naming each address by a
// reverse lookup as busybox 1.28 did.
func describe(ctx context.Context, r *net.Resolver, addrs []string) {
	for i, addr := range addrs {
		line := fmt.Sprintf("Address %d: %s", i+1, addr)
		if names, err := r.LookupAddr(ctx, addr); err == nil && len(names) > 0 {
			line += " " + strings.TrimSuffix(names[0], ".")
		}
		fmt.Println(line)
	}
}

func main() {
	args := os.Args[1:]
	if len(args) < 1 || len(args) > 2 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(os.Stderr, "Usage: nslookup HOST [DNS_SERVER]")
		fmt.Fprintln(os.Stderr, "\nQuery the nameserver for the IP address of the given HOST")
		fmt.Fprintln(os.Stderr, "optionally using a specified DNS server")
		os.Exit(1)
	}
	host := args[0]
	server := resolvConfNameserver()
	if len(args) == 2 {
		server = args[1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	r := newResolver(server, len(args) == 2)

	fmt.Printf("%-10s %s\n", "Server:", server)
	describe(ctx, r, []string{server})
	fmt.Println()

	var addrs []string
	if ip := net.ParseIP(host); ip != nil {
		addrs = []string{host}
	} else {
		found, err := r.LookupHost(ctx, host)
		if err != nil || len(found) == 0 {
			fmt.Fprintf(os.Stderr, "nslookup: can't resolve '%s'\n", host)
			os.Exit(1)
		}
		addrs = found
	}
	fmt.Printf("%-10s %s\n", "Name:", host)
	describe(ctx, r, addrs)
}
