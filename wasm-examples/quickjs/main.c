/*
 * quickjs: runs one JavaScript program with the QuickJS-ng engine (vendor/, v0.16.2, MIT).
 *
 *   quickjs [FILE]     the program is read from FILE, or from stdin without one (or with "-")
 *
 * The program runs as a classic script, then any promise jobs it queued. print(...) and
 * console.log/info/debug(...) write their arguments to stdout, space-separated, with a newline;
 * console.error/warn(...) write to stderr. An uncaught exception (or a promise rejection that
 * nothing handled) is printed to stderr with its stack and the exit status is 1; otherwise 0.
 * Date.now(), performance.now() and Math.random()'s seed come from the WASI clocks.
 *
 * This is a small driver on the engine alone, not qjs: there is no std/os module, no timers,
 * no threads and no way to start processes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quickjs.h"

/* Must match -Wl,-z,stack-size in build.sh. QuickJS-ng does not check the stack itself on WASI
 * (JS_SetMaxStackSize is a no-op there), so a runaway recursion ends as a trap: usually the
 * host's own stack for wasm calls runs out first (about 2,000-4,000 nested JS calls under Node's
 * default), else this C stack does, and as the module is linked with --stack-first that is an
 * out-of-bounds access, not a write over the heap. */
#define C_STACK_SIZE (1024 * 1024)

static int read_all(FILE *f, char **out, size_t *out_len) {
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) return -1;
    for (;;) {
        if (cap - len < 4096 + 1) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) { free(buf); return -1; }
            buf = grown;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) break;
    }
    if (ferror(f)) { free(buf); return -1; }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

/* Writes the arguments as strings, space-separated, plus a newline (like qjs's print). */
static JSValue write_args(JSContext *ctx, int argc, JSValueConst *argv, FILE *f) {
    for (int i = 0; i < argc; i++) {
        size_t len;
        const char *s = JS_ToCStringLen(ctx, &len, argv[i]);
        if (!s) return JS_EXCEPTION;
        if (i > 0) fputc(' ', f);
        fwrite(s, 1, len, f);
        JS_FreeCString(ctx, s);
    }
    fputc('\n', f);
    fflush(f);
    return JS_UNDEFINED;
}

static JSValue js_print(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
    (void)this_val;
    return write_args(ctx, argc, argv, stdout);
}

static JSValue js_print_err(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv) {
    (void)this_val;
    return write_args(ctx, argc, argv, stderr);
}

static void print_value(JSContext *ctx, JSValueConst v) {
    size_t len;
    const char *s = JS_ToCStringLen(ctx, &len, v);
    if (s) {
        fwrite(s, 1, len, stderr);
        if (len == 0 || s[len - 1] != '\n') fputc('\n', stderr);
        JS_FreeCString(ctx, s);
    } else {
        JSValue ignored = JS_GetException(ctx);
        JS_FreeValue(ctx, ignored);
        fputs("[unprintable value]\n", stderr);
    }
}

/* An error's message, then its stack (QuickJS's stack lines start with "    at"). */
static void print_exception(JSContext *ctx, JSValueConst exc, const char *prefix) {
    fputs(prefix, stderr);
    print_value(ctx, exc);
    if (JS_IsError(exc)) {
        JSValue stack = JS_GetPropertyStr(ctx, exc, "stack");
        if (!JS_IsUndefined(stack) && !JS_IsException(stack)) print_value(ctx, stack);
        JS_FreeValue(ctx, stack);
    }
}

/* Promises rejected with no handler yet; one may get a handler later, before the jobs run out. */
typedef struct { JSValue promise, reason; } Rejection;
static Rejection *rejections;
static size_t n_rejections, cap_rejections;

static void track_rejection(JSContext *ctx, JSValueConst promise, JSValueConst reason,
                            bool is_handled, void *opaque) {
    (void)opaque;
    if (is_handled) {
        for (size_t i = 0; i < n_rejections; i++) {
            if (JS_IsSameValue(ctx, rejections[i].promise, promise)) {
                JS_FreeValue(ctx, rejections[i].promise);
                JS_FreeValue(ctx, rejections[i].reason);
                rejections[i] = rejections[--n_rejections];
                return;
            }
        }
        return;
    }
    if (n_rejections == cap_rejections) {
        size_t cap = cap_rejections ? cap_rejections * 2 : 8;
        Rejection *grown = realloc(rejections, cap * sizeof *grown);
        if (!grown) return;
        rejections = grown;
        cap_rejections = cap;
    }
    rejections[n_rejections].promise = JS_DupValue(ctx, promise);
    rejections[n_rejections].reason = JS_DupValue(ctx, reason);
    n_rejections++;
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "-";
    if (argc > 2) {
        fputs("usage: quickjs [FILE]   (the program is read from stdin without FILE)\n", stderr);
        return 2;
    }
    int from_stdin = strcmp(path, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    char *source;
    size_t source_len;
    if (read_all(f, &source, &source_len) != 0) {
        perror(path);
        return 2;
    }
    if (!from_stdin) fclose(f);

    JSRuntime *rt = JS_NewRuntime();
    if (!rt) { fputs("quickjs: cannot create the runtime\n", stderr); return 2; }
    /* Leave room below the JS frames for the C code they call (a no-op on WASI, see above). */
    JS_SetMaxStackSize(rt, C_STACK_SIZE - 128 * 1024);
    JS_SetHostPromiseRejectionTracker(rt, track_rejection, NULL);
    JSContext *ctx = JS_NewContext(rt);
    if (!ctx) { fputs("quickjs: cannot create the context\n", stderr); return 2; }

    JSValue global = JS_GetGlobalObject(ctx);
    JS_SetPropertyStr(ctx, global, "print", JS_NewCFunction(ctx, js_print, "print", 1));
    JSValue console = JS_NewObject(ctx);
    JS_SetPropertyStr(ctx, console, "log", JS_NewCFunction(ctx, js_print, "log", 1));
    JS_SetPropertyStr(ctx, console, "info", JS_NewCFunction(ctx, js_print, "info", 1));
    JS_SetPropertyStr(ctx, console, "debug", JS_NewCFunction(ctx, js_print, "debug", 1));
    JS_SetPropertyStr(ctx, console, "warn", JS_NewCFunction(ctx, js_print_err, "warn", 1));
    JS_SetPropertyStr(ctx, console, "error", JS_NewCFunction(ctx, js_print_err, "error", 1));
    JS_SetPropertyStr(ctx, global, "console", console);
    JS_FreeValue(ctx, global);

    const char *name = from_stdin ? "<stdin>" : path;
    int status = 0;
    JSValue result = JS_Eval(ctx, source, source_len, name, JS_EVAL_TYPE_GLOBAL);
    if (JS_IsException(result)) {
        JSValue exc = JS_GetException(ctx);
        print_exception(ctx, exc, "Uncaught ");
        JS_FreeValue(ctx, exc);
        status = 1;
    }
    JS_FreeValue(ctx, result);

    /* Promise reactions, async functions' continuations, queueMicrotask callbacks. */
    while (status == 0) {
        JSContext *job_ctx;
        int ran = JS_ExecutePendingJob(rt, &job_ctx);
        if (ran == 0) break;
        if (ran < 0) {
            JSValue exc = JS_GetException(job_ctx);
            print_exception(job_ctx, exc, "Uncaught ");
            JS_FreeValue(job_ctx, exc);
            status = 1;
        }
    }
    if (status == 0 && n_rejections > 0) {
        print_exception(ctx, rejections[0].reason, "Uncaught (in promise) ");
        status = 1;
    }
    fflush(stdout);
    fflush(stderr);
    /* The process ends here: the runtime is not torn down (that only returns memory). */
    return status;
}
