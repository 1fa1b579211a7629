// Stand-in for the NestJS API: /api/health with a database check, /api/stories CRUD in MySQL.
const http = require('http');
const mysql = require('mysql2/promise');
const pool = mysql.createPool({
  host: process.env.DB_HOST, port: Number(process.env.DB_PORT || 3306), user: process.env.DB_USER,
  password: process.env.DB_PASSWORD, database: process.env.DB_NAME, connectionLimit: 4,
});
const ready = pool.query('CREATE TABLE IF NOT EXISTS stories (id INT AUTO_INCREMENT PRIMARY KEY, title VARCHAR(200) NOT NULL)');
const send = (response, status, body) => {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(body === undefined ? '' : JSON.stringify(body));
};
const read = (request) => new Promise((resolve) => {
  let data = '';
  request.on('data', (chunk) => { data += chunk; });
  request.on('end', () => resolve(data ? JSON.parse(data) : {}));
});
http.createServer(async (request, response) => {
  try {
    await ready;
    const match = /^\/api\/stories(?:\/(\d+))?$/.exec(request.url);
    if (request.url === '/api/health') {
      await pool.query('SELECT 1');
      return send(response, 200, { status: 'ok', checks: { database: 'up' } });
    }
    if (!match) return send(response, 404, { message: 'not found' });
    const id = match[1];
    if (request.method === 'POST' && !id) {
      const [result] = await pool.query('INSERT INTO stories (title) VALUES (?)', [(await read(request)).title]);
      return send(response, 201, { id: result.insertId, title: (await pool.query('SELECT title FROM stories WHERE id = ?', [result.insertId]))[0][0].title });
    }
    if (request.method === 'GET' && !id) return send(response, 200, (await pool.query('SELECT * FROM stories ORDER BY id'))[0]);
    const [rows] = await pool.query('SELECT * FROM stories WHERE id = ?', [id]);
    if (!rows.length) return send(response, 404, { message: 'not found' });
    if (request.method === 'GET') return send(response, 200, rows[0]);
    if (request.method === 'PATCH') {
      await pool.query('UPDATE stories SET title = ? WHERE id = ?', [(await read(request)).title, id]);
      return send(response, 200, (await pool.query('SELECT * FROM stories WHERE id = ?', [id]))[0][0]);
    }
    if (request.method === 'DELETE') {
      await pool.query('DELETE FROM stories WHERE id = ?', [id]);
      return send(response, 204);
    }
    return send(response, 405, { message: 'method not allowed' });
  } catch (error) {
    return send(response, 503, { status: 'error', message: String(error.message) });
  }
}).listen(Number(process.env.PORT || 9999), process.env.HOST || '0.0.0.0');
process.on('SIGINT', () => pool.end().finally(() => process.exit(0)));
