package fptapi

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHTTPClientRequiresTLS12(t *testing.T) {
	transport, ok := NewHTTPClient().Transport.(*http.Transport)
	if !ok {
		t.Fatalf("the transport is a %T, want *http.Transport", NewHTTPClient().Transport)
	}
	if transport.TLSClientConfig == nil || transport.TLSClientConfig.MinVersion != tls.VersionTLS12 {
		t.Fatalf("TLSClientConfig = %+v, want MinVersion TLS 1.2", transport.TLSClientConfig)
	}
	if transport.TLSClientConfig.InsecureSkipVerify {
		t.Fatal("the transport skips certificate verification")
	}
}

// TestTLS11ServerRefused serves TLS 1.0 and 1.1 only. A client that allows
// TLS 1.1 reaches it (so the server really speaks it); the API client,
// trusting the same certificate, must refuse it.
func TestTLS11ServerRefused(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":0,"message":"","data":[]}`))
	}))
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	serverTransport, ok := srv.Client().Transport.(*http.Transport)
	if !ok {
		t.Fatalf("the test server's client has a %T", srv.Client().Transport)
	}
	roots := serverTransport.TLSClientConfig.RootCAs

	legacy := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: roots, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
	}}}
	t.Cleanup(legacy.CloseIdleConnections)
	resp, err := legacy.Get(srv.URL)
	if err != nil {
		t.Skipf("this Go runtime cannot speak TLS 1.1 to the test server either (%v); the MinVersion test above still holds", err)
	}
	_ = resp.Body.Close()
	if resp.TLS == nil || resp.TLS.Version != tls.VersionTLS11 {
		t.Fatalf("the test server answered with %+v, want TLS 1.1", resp.TLS)
	}

	hc := NewHTTPClient()
	transport, ok := hc.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("NewHTTPClient has a %T", hc.Transport)
	}
	transport.TLSClientConfig.RootCAs = roots
	t.Cleanup(hc.CloseIdleConnections)
	c, err := New(Config{BaseURL: srv.URL + "/api", Token: testToken, MaxRetries: 2,
		MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.BillInfo(context.Background())
	if err == nil {
		t.Fatal("the client read from a TLS 1.1 server")
	}
	if !strings.Contains(err.Error(), "tls") || !strings.Contains(err.Error(), "version") {
		t.Errorf("err = %v, want a TLS protocol version error", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Errorf("the error shows the token: %v", err)
	}
}
