// Stand-in for `next build`: node_modules/next/dist/bin/next (what PM2 runs) and a static chunk.
const fs = require('fs');
fs.mkdirSync('node_modules/next/dist/bin', { recursive: true });
fs.copyFileSync('server.js', 'node_modules/next/dist/bin/next');
fs.mkdirSync('.next/static/chunks', { recursive: true });
fs.writeFileSync('.next/static/chunks/app.js', '// stand-in chunk\n' + 'console.log("stories");\n'.repeat(200));
