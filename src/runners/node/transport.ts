/**
 * Message transport under the CDP client. The JSON-RPC layer (cdp-connection.ts) only needs
 * "send a text frame / receive text frames / closed"; the one transport is pipe-transport.ts.
 */

/** A bidirectional, message-oriented text channel. */
export interface CdpTransport {
  /** Sends one message. Throws if the transport is closed. */
  send(message: string): void;
  /** Registers the handler for incoming messages (one handler; a later call replaces it). */
  onMessage(handler: (message: string) => void): void;
  /** Registers the handler called once when the channel closes, for whatever reason. */
  onClose(handler: (error?: Error) => void): void;
  /** Closes the channel; resolves once it is closed. Idempotent. */
  close(): Promise<void>;
}
