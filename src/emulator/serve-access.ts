import { wireProtocol } from './service-errors.ts';
import { ServiceError, type LocalRequest } from './wire.ts';

/** Names the loopback interface answers to; `*.localhost` too (virtual-hosted buckets: `BUCKET.localhost`, `BUCKET.s3.localhost`). */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * Who `local serve` answers: requests addressed to it by a name of its own (the `Host` header),
 * and of browser requests only those of its own pages, or those a bucket's CORS configuration
 * allows. Another Host is a DNS-rebinding page or a request meant for elsewhere; another site's
 * page may send requests (an `<img>`, a form) but must not act through them.
 */
export class ServedAddress {
  /** `NAME` (any port) and `NAME:PORT` entries given by `--allow-host`, lower case. */
  private readonly extraHosts: Set<string>;

  constructor(
    /** The address listened on (`127.0.0.1`). */
    private readonly listenHost: string,
    private readonly port: number,
    extraHosts: readonly string[] = [],
  ) {
    this.extraHosts = new Set(extraHosts.map((host) => host.toLowerCase()));
  }

  /** The addresses clients may use, for messages: `127.0.0.1:4566, localhost:4566, ...`. */
  describe(): string {
    const names = [...new Set([this.listenHost, ...LOOPBACK_NAMES, '*.localhost'])].map((name) => `${bracketed(name)}:${this.port}`);
    return [...names, ...this.extraHosts].join(', ');
  }

  /** Refuses a request whose Host is not a name of this server, with the service's own error. */
  checkHost(request: LocalRequest): void {
    const host = request.headers.host ?? '';
    if (this.isOwnHost(host)) return;
    throw accessDenied(
      request.service,
      `stackpilot local serve answers requests addressed to ${this.describe()}, not to ${host || 'no host'}: a page of another site (DNS rebinding) or a request meant for elsewhere. To allow a name, serve with --allow-host NAME.`,
    );
  }

  /**
   * The site a browser sent this request from when it is not this server's own: the `Origin`
   * header, or a `Sec-Fetch-Site` other than same-origin or none (an `<img>` sends no Origin).
   */
  crossSiteOrigin(request: LocalRequest): string | undefined {
    const { origin, host } = request.headers;
    if (origin !== undefined && origin.toLowerCase() !== `http://${(host ?? '').toLowerCase()}`) return origin;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return origin ?? `a ${site} page`;
    return undefined;
  }

  private isOwnHost(host: string): boolean {
    const parsed = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d+))?$/.exec(host.toLowerCase());
    if (!parsed) return false;
    // A trailing dot names the same host (`localhost.`).
    const name = parsed[1].replace(/\.$/, '');
    const port = Number(parsed[2] ?? 80);
    if (this.extraHosts.has(name) || this.extraHosts.has(`${name}:${port}`)) return true;
    if (port !== this.port) return false;
    return name === bracketed(this.listenHost) || LOOPBACK_NAMES.includes(name) || name.endsWith('.localhost');
  }
}

export function crossSiteRefusal(request: LocalRequest, origin: string): ServiceError {
  const why = request.service === 's3' ? 'no CORS rule of the bucket allows it' : `${request.service} answers no browser page of another site`;
  return accessDenied(request.service, `stackpilot local serve refused a cross-site request from ${origin}: ${why}. Browsers may reach S3 buckets as their CORS configuration allows.`);
}

function accessDenied(service: string, message: string): ServiceError {
  return new ServiceError(wireProtocol(service) === 'json' ? 'AccessDeniedException' : 'AccessDenied', message, 403);
}

function bracketed(name: string): string {
  return name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
}
