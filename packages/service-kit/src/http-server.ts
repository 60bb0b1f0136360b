// The HTTP server of an Express app, built so that Express does not have to re-parent every
// request. Express's app.handle gives each req and res its app's prototypes with
// Object.setPrototypeOf. Changing the prototype of a live object sends V8 to its slow paths for
// that object, in Node's HTTP internals as much as in Express: most of a bare Express request's
// CPU (the kit's README gives the figures). Here the server itself constructs requests and
// responses on the app's prototypes, so that call finds the prototype already in place and
// changes nothing.
import http from 'node:http';

/** What an Express app carries: the prototypes it gives its requests and responses. */
interface PrototypedApp {
  request: http.IncomingMessage;
  response: http.ServerResponse;
}

function isPrototypedApp(app: unknown): app is PrototypedApp {
  const { request, response } = (app ?? {}) as Partial<PrototypedApp>;
  return request instanceof http.IncomingMessage && response instanceof http.ServerResponse;
}

/** Node's request and response constructors are plain functions that can initialise an object
 * made by another constructor; should a later Node make them classes, this turns itself off. */
const constructorsCallable = [http.IncomingMessage, http.ServerResponse].every(
  (ctor) => !Function.prototype.toString.call(ctor).startsWith('class'),
);

type Ctor = new (...args: never[]) => unknown;

/** A constructor whose instances are born with `prototype` and initialised by `base`. The
 * initialisation is a call with `this`, not Reflect.construct: built that way the
 * objects lose the fast path this is for. */
function constructorOn(base: Ctor, prototype: object): Ctor {
  function Constructed(this: unknown, ...args: unknown[]) {
    (base as unknown as (...a: unknown[]) => void).apply(this, args);
  }
  Constructed.prototype = prototype;
  return Constructed as unknown as Ctor;
}

/** The server options that make `app`'s requests and responses on its own prototypes; none for
 * a listener that is not an Express app. */
export function serverOptionsFor(app: unknown): http.ServerOptions {
  if (!constructorsCallable || !isPrototypedApp(app)) return {};
  return {
    IncomingMessage: constructorOn(
      http.IncomingMessage as unknown as Ctor,
      app.request,
    ) as unknown as typeof http.IncomingMessage,
    ServerResponse: constructorOn(
      http.ServerResponse as unknown as Ctor,
      app.response,
    ) as unknown as typeof http.ServerResponse,
  };
}

/** http.createServer for a request listener; an Express app's requests skip the re-parenting. */
export function createHttpServer(app: http.RequestListener): http.Server {
  return http.createServer(serverOptionsFor(app), app);
}
