// A small program to try debug-server on: step through it, watch `total` change, read its output.
function add(total, n) {
  const next = total + n;
  return next;
}

let total = 0;
for (let i = 1; i <= 5; i++) {
  total = add(total, i);
  console.log(`step ${i}: total is ${total}`);
}
console.error('done (this line went to stderr)');
