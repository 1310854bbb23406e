// Naive doubly recursive Fibonacci: about 635,000 calls, a CPU workload for the interpreter.
function fib(n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

const n = 27;
print(`fib(${n}) = ${fib(n)}`);
