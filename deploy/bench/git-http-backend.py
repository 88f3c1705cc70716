#!/usr/bin/env python3
"""Serves C git's git-http-backend over HTTP: the reference the clone benchmark compares with.

    git-http-backend.py PORT PROJECT_ROOT

No web server is installed on the bench machines, and http.server's CGIHTTPRequestHandler drops
the headers smart HTTP needs (Git-Protocol for protocol v2, Content-Encoding for gzipped
negotiation), so this is a minimal CGI/1.1 bridge: one thread per request, the request body
streamed to the CGI's stdin and its stdout streamed back as it comes (never held whole), the
connection closed after each answer (HTTP/1.0 framing, as a CGI without Content-Length needs).
Every repository under PROJECT_ROOT is exported (GIT_HTTP_EXPORT_ALL); loopback only.
"""
import http.server
import os
import shutil
import subprocess
import sys
import threading

BACKEND = os.environ.get("GIT_HTTP_BACKEND", "/usr/lib/git-core/git-http-backend")
CHUNK = 64 * 1024


class Bridge(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        self.run_cgi()

    def do_POST(self):
        self.run_cgi()

    def run_cgi(self):
        path, _, query = self.path.partition("?")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": self.server.project_root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_PROTOCOL": self.request_version,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": str(self.server.server_port),
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
        }
        for header, name in (("Content-Encoding", "HTTP_CONTENT_ENCODING"), ("Git-Protocol", "GIT_PROTOCOL"),
                             ("Accept", "HTTP_ACCEPT"), ("User-Agent", "HTTP_USER_AGENT")):
            if header in self.headers:
                env[name] = self.headers[header]
        length = self.headers.get("Content-Length")
        chunked = self.headers.get("Transfer-Encoding", "").lower() == "chunked"
        if length is not None:
            env["CONTENT_LENGTH"] = length
        proc = subprocess.Popen([BACKEND], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        # The body goes in on its own thread so a CGI that answers while still reading cannot deadlock.
        feeder = threading.Thread(target=self.feed, args=(proc.stdin, length, chunked), daemon=True)
        feeder.start()
        status, headers = "200 OK", []
        while True:
            line = proc.stdout.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").rstrip("\r\n").partition(":")
            if name.lower() == "status":
                status = value.strip()
            else:
                headers.append((name, value.strip()))
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason or None)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        shutil.copyfileobj(proc.stdout, self.wfile, CHUNK)
        self.wfile.flush()
        proc.wait()
        feeder.join()

    def feed(self, stdin, length, chunked):
        try:
            if chunked:
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    stdin.write(self.rfile.read(size))
                    self.rfile.readline()
            elif length:
                remaining = int(length)
                while remaining > 0:
                    data = self.rfile.read(min(CHUNK, remaining))
                    if not data:
                        break
                    stdin.write(data)
                    remaining -= len(data)
        except BrokenPipeError:
            pass
        finally:
            try:
                stdin.close()
            except BrokenPipeError:
                pass

    def log_message(self, *args):
        pass


def main():
    port, root = int(sys.argv[1]), os.path.abspath(sys.argv[2])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Bridge)
    server.project_root = root
    server.serve_forever()


if __name__ == "__main__":
    main()
