/**
 * The CLI's HTTP client against loopback servers that write raw bytes: what goes on the wire,
 * the responses browsers take that node:http refuses, and every bound a server could push on
 * (head size, interim responses, endless bodies, time).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { drip, rawServer, type RawServer } from '../../test/support/raw-server.js';
import { joinHeaderLines, NetworkError, RequestFailedError, sendRequest, type ReceivedResponse } from './http.js';

const ORIGIN = 'https://app.example.com';

async function withRaw(
  answer: (socket: Socket, head: string) => void,
  run: (server: RawServer) => Promise<void>,
  onConnect = false,
): Promise<void> {
  const server = await rawServer(answer, onConnect);
  try {
    await run(server);
  } finally {
    await server.close();
  }
}

/** A server that answers every request with `bytes` and closes. */
function answering(bytes: string): (socket: Socket) => void {
  return (socket) => socket.end(bytes, 'latin1');
}

function get(url: string, timeoutMs = 10_000): Promise<ReceivedResponse> {
  return sendRequest({ method: 'GET', url, headers: [['Origin', ORIGIN]] }, timeoutMs);
}

test('the method goes on the wire exactly as given: patch stays lower-case', async () => {
  await withRaw(answering('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), async (server) => {
    await sendRequest({ method: 'patch', url: `${server.url}/items?x=1`, headers: [['Origin', ORIGIN]], body: '{}' }, 10_000);
    const [head] = server.requests;
    assert.match(head!, /^patch \/items\?x=1 HTTP\/1\.1\r\n/);
    assert.match(head!, /\r\nOrigin: https:\/\/app\.example\.com\r\n/);
    assert.match(head!, /\r\nContent-Length: 2(\r\n|$)/);
  });
});

test('repeated request header names are combined unless the caller asks for the lines as given', async () => {
  await withRaw(answering('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), async (server) => {
    const headers = [
      ['X-A', '1'],
      ['Origin', ORIGIN],
      ['x-a', '2'],
    ] as const;
    await sendRequest({ method: 'GET', url: server.url, headers }, 10_000);
    await sendRequest({ method: 'GET', url: server.url, headers, combineRepeated: false }, 10_000);
    assert.match(server.requests[0]!, /\r\nX-A: 1, 2\r\nOrigin: /);
    assert.match(server.requests[1]!, /\r\nX-A: 1\r\nOrigin: [^\r]*\r\nx-a: 2\r\n/);
  });
});

test('a 204 with a body resolves, as in browsers; the body is ignored', async () => {
  await withRaw(answering('HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 4\r\n\r\noops'), async (server) => {
    const response = await sendRequest({ method: 'OPTIONS', url: server.url, headers: [['Origin', ORIGIN]] }, 10_000);
    assert.equal(response.status, 204);
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.bodyStart, '');
  });
});

test('a space before the colon: the line is kept as received, left out of headers, and kept by the trimmed (Chromium) view', async () => {
  await withRaw(
    answering('HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin : *\r\nVary: Origin\r\nContent-Length: 2\r\n\r\nok'),
    async (server) => {
      const response = await get(server.url);
      assert.deepEqual(response.lines.slice(0, 2), [
        ['Access-Control-Allow-Origin ', '*'],
        ['Vary', 'Origin'],
      ]);
      assert.equal(response.headers['access-control-allow-origin'], undefined);
      assert.equal(response.lineCounts['access-control-allow-origin'], undefined);
      assert.equal(response.headers['vary'], 'Origin');
      const trimmed = joinHeaderLines(response.lines, true);
      assert.equal(trimmed.headers['access-control-allow-origin'], '*');
      assert.equal(trimmed.lineCounts['access-control-allow-origin'], 1);
      assert.equal(response.bodyStart, 'ok');
    },
  );
});

test('bare LF line ends, no reason phrase, obs-fold and lines without a colon are read as browsers read them', async () => {
  await withRaw(
    answering(
      'HTTP/1.1 200\nVary: Origin,\n Accept\nnot a header line\nAccess-Control-Allow-Origin: *\nAccess-Control-Allow-Origin: *\n\nhello',
    ),
    async (server) => {
      const response = await get(server.url);
      assert.equal(response.status, 200);
      assert.equal(response.statusText, '');
      assert.equal(response.headers['vary'], 'Origin, Accept');
      assert.equal(response.headers['access-control-allow-origin'], '*, *');
      assert.equal(response.lineCounts['access-control-allow-origin'], 2);
      assert.equal(response.lines.length, 3);
      assert.equal(response.bodyStart, 'hello');
    },
  );
});

test('interim responses (100, 102, 103) are skipped; the final response is returned', async () => {
  await withRaw(
    answering(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n' +
        'HTTP/1.1 201 Created\r\nX-Final: yes\r\nContent-Length: 4\r\n\r\ndone',
    ),
    async (server) => {
      const response = await get(server.url);
      assert.equal(response.status, 201);
      assert.equal(response.statusText, 'Created');
      assert.deepEqual(response.lines, [
        ['X-Final', 'yes'],
        ['Content-Length', '4'],
      ]);
      assert.equal(response.bodyStart, 'done');
    },
  );
});

test('a chunked body is decoded for the start that is kept, across writes', async () => {
  await withRaw(
    (socket) => {
      socket.write('HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel', 'latin1');
      setTimeout(() => socket.end('lo\r\n7;why=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n', 'latin1'), 20);
    },
    async (server) => {
      const response = await get(server.url);
      assert.equal(response.status, 400);
      assert.equal(response.bodyStart, 'hello, world');
    },
  );
});

test('an endless body: the first 2 KiB are kept and the connection is closed', async () => {
  let written = 0;
  await withRaw(
    (socket) => {
      socket.write('HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n');
      const timer = setInterval(() => {
        written++;
        socket.write(`400\r\n${'x'.repeat(1024)}\r\n`);
      }, 5);
      socket.on('close', () => clearInterval(timer));
    },
    async (server) => {
      const response = await get(server.url);
      assert.equal(response.status, 500);
      assert.equal(response.bodyStart, 'x'.repeat(2048));
    },
  );
  assert.ok(written < 1000, `the server stopped writing after ${written} chunks`);
});

test('a 1 MiB header line is refused with a clear network error, not a crash', async () => {
  await withRaw(answering(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(1024 * 1024)}\r\n\r\n`), async (server) => {
    await assert.rejects(get(server.url), (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.kind, 'malformed-response');
      assert.match(error.message, /^http:\/\/127\.0\.0\.1:\d+ sent a response browsers refuse: its response head is over 256 KiB$/);
      return true;
    });
  });
});

test('differing Content-Length lines are refused as browsers refuse them', async () => {
  await withRaw(answering('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc'), async (server) => {
    await assert.rejects(get(server.url), (error: unknown) => error instanceof NetworkError && /Content-Length/.test(error.message));
  });
});

test('the timeout is a deadline: a head dripped one byte at a time is given up', async () => {
  // Sent whole, this head would take 400 drips; the deadline of one second allows about ten.
  const head = `HTTP/1.1 200 OK\r\nX-Slow: ${'s'.repeat(380)}\r\n\r\n`;
  let dripped: Promise<number> = Promise.resolve(0);
  await withRaw(
    (socket) => {
      dripped = drip(socket, head, 100);
    },
    async (server) => {
      await assert.rejects(get(server.url, 1000), (error: unknown) => {
        assert.ok(error instanceof RequestFailedError && !(error instanceof NetworkError));
        assert.match(error.message, /^http:\/\/127\.0\.0\.1:\d+ did not finish its response head within 1 s \(raise it with --timeout\)$/);
        return true;
      });
    },
  );
  const sent = await dripped;
  assert.ok(sent < 100, `the client closed after ${sent} of ${head.length} drips`);
});

test('a server that never answers fails at the deadline, naming --timeout', async () => {
  await withRaw(
    () => {},
    async (server) => {
      await assert.rejects(get(server.url, 300), /did not answer within 0\.3 s \(raise it with --timeout\)/);
    },
  );
});

test('endless 102 Processing responses are bounded', async () => {
  let written = 0;
  await withRaw(
    (socket) => {
      const timer = setInterval(() => {
        written++;
        socket.write('HTTP/1.1 102 Processing\r\n\r\n');
      }, 2);
      socket.on('close', () => clearInterval(timer));
    },
    async (server) => {
      await assert.rejects(get(server.url, 60_000), (error: unknown) => {
        assert.ok(error instanceof NetworkError);
        assert.match(error.message, /over 32 interim \(1xx\) responses/);
        return true;
      });
    },
  );
  assert.ok(written < 1000, `the server stopped after ${written} interim responses`);
});

test('URLs fetch() refuses are refused with a typed network error, without connecting', async () => {
  await withRaw(answering('HTTP/1.1 200 OK\r\n\r\n'), async (server) => {
    const cases = [
      ['data:text/plain,hello', 'url-scheme', /data: URL/],
      ['file:///etc/passwd', 'url-scheme', /file: URL/],
      ['javascript:alert(1)', 'url-scheme', /javascript: URL/],
      [`http://user:pw@127.0.0.1:${server.port}/`, 'url-credentials', /user name or password/],
      [`http://user@127.0.0.1:${server.port}/`, 'url-credentials', /user name or password/],
    ] as const;
    for (const [url, kind, message] of cases) {
      await assert.rejects(get(url), (error: unknown) => {
        assert.ok(error instanceof NetworkError, url);
        assert.equal(error.kind, kind);
        assert.equal(error.url, url);
        assert.match(error.message, message);
        assert.doesNotMatch(error.message, /pw/);
        return true;
      });
    }
    assert.equal(server.connections(), 0);
  });
});

test('https against a plain-HTTP server, or a server that is not HTTP: clear messages', async () => {
  await withRaw(
    answering('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'),
    async (server) => {
      await assert.rejects(get(`https://127.0.0.1:${server.port}/`), (error: unknown) => {
        assert.ok(error instanceof RequestFailedError && !(error instanceof NetworkError));
        assert.match(
          error.message,
          /^TLS failed for https:\/\/127\.0\.0\.1:\d+: the server did not answer in TLS \(.+\); if it serves plain HTTP, use an http:\/\/ URL$/,
        );
        return true;
      });
    },
    true,
  );
  await withRaw(
    answering('SSH-2.0-OpenSSH_9.6\r\n'),
    async (server) => {
      await assert.rejects(get(`https://127.0.0.1:${server.port}/`), /^RequestFailedError: TLS failed for https:\/\/127\.0\.0\.1:\d+: /);
      await assert.rejects(get(server.url), (error: unknown) => {
        assert.ok(error instanceof NetworkError);
        assert.match(error.message, /does not start with an HTTP status line \(is this an HTTP server\?\)$/);
        return true;
      });
    },
    true,
  );
});

test('a server that closes without answering, or in the middle of the head', async () => {
  await withRaw(
    (socket) => socket.destroy(),
    async (server) => {
      await assert.rejects(get(server.url), /^RequestFailedError: http:\/\/127\.0\.0\.1:\d+ closed the connection without answering$/);
    },
  );
  await withRaw(answering('HTTP/1.1 200 OK\r\nX-Half: '), async (server) => {
    await assert.rejects(
      get(server.url),
      (error: unknown) => error instanceof NetworkError && /before its response head ended/.test(error.message),
    );
  });
});

test('request headers that cannot go on the wire are refused before connecting', async () => {
  await withRaw(answering('HTTP/1.1 200 OK\r\n\r\n'), async (server) => {
    await assert.rejects(sendRequest({ method: 'GET', url: server.url, headers: [['X-A', 'a\r\nX-Injected: 1']] }, 1000), /cannot be sent/);
    await assert.rejects(sendRequest({ method: 'GET /x', url: server.url, headers: [] }, 1000), /not a method that can be sent/);
    assert.equal(server.connections(), 0);
  });
});
