// Stand-in for `next build`: the static chunk the page loads.
const fs = require('fs');
fs.mkdirSync('.next/static/chunks', { recursive: true });
fs.writeFileSync('.next/static/chunks/app.js', '// stand-in chunk\n' + 'console.log("stories");\n'.repeat(200));
