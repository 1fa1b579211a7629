// Stand-in for `next start --port P --hostname H`: a page and its static chunk.
const fs = require('fs');
const http = require('http');
const path = require('path');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : fallback);
const root = path.resolve(__dirname, '../../../..');
http.createServer((request, response) => {
  if (request.url.startsWith('/_next/static/')) {
    response.setHeader('Content-Type', 'application/javascript');
    response.end(fs.readFileSync(path.join(root, '.next/static', request.url.slice('/_next/static/'.length))));
    return;
  }
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  response.setHeader('X-Powered-By', 'Next.js');
  response.end('<!DOCTYPE html><html><head><title>Stories</title><script src="/_next/static/chunks/app.js"></script></head><body><h1>Stories</h1></body></html>');
}).listen(Number(option('--port', process.env.PORT || 3000)), option('--hostname', '0.0.0.0'));
