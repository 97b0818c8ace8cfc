package smol.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds pcapng files block by block (draft-ietf-opsawg-pcapng) for tests: the variants editcap does not
 * write (big-endian sections, power-of-two resolutions, simple and obsolete packet blocks, unknown blocks).
 */
final class PcapngBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

    /** Starts a section in {@code byteOrder}; later blocks use that order. */
    PcapngBuilder section(ByteOrder byteOrder) {
        order = byteOrder;
        ByteBuffer body = body(16);
        body.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1);
        return block(0x0a0d0d0a, body);
    }

    /** An interface; {@code tsresol} is the if_tsresol byte or -1 for none, {@code tsoffset} seconds or 0 for none. */
    PcapngBuilder interfaceDescription(int linkType, int snaplen, int tsresol, long tsoffset) {
        ByteBuffer body = body(8 + 8 + 8 + 12 + 4);
        body.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
        // An option this reader does not know comes first: if_name "eth0".
        body.putShort((short) 2).putShort((short) 4).put(new byte[] {'e', 't', 'h', '0'});
        if (tsresol >= 0) {
            body.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        }
        if (tsoffset != 0) {
            body.putShort((short) 14).putShort((short) 8).putLong(tsoffset);
        }
        body.putShort((short) 0).putShort((short) 0);
        return block(1, body);
    }

    PcapngBuilder enhancedPacket(int interfaceId, long units, byte[] data, int originalLength) {
        ByteBuffer body = body(20 + padded(data.length) + 8);
        body.putInt(interfaceId).putInt((int) (units >>> 32)).putInt((int) units).putInt(data.length)
                .putInt(originalLength).put(data).position(20 + padded(data.length));
        // An epb_flags option (inbound), so that options after the data are skipped.
        body.putShort((short) 2).putShort((short) 4).putInt(1);
        return block(6, body);
    }

    PcapngBuilder obsoletePacket(int interfaceId, long units, byte[] data, int originalLength) {
        ByteBuffer body = body(20 + padded(data.length));
        body.putShort((short) interfaceId).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units)
                .putInt(data.length).putInt(originalLength).put(data);
        return block(2, body);
    }

    PcapngBuilder simplePacket(byte[] data, int originalLength) {
        ByteBuffer body = body(4 + padded(data.length));
        body.putInt(originalLength).put(data);
        return block(3, body);
    }

    /** A block of a type this reader does not know, with {@code length} bytes of body. */
    PcapngBuilder otherBlock(int type, int length) {
        ByteBuffer body = body(padded(length));
        for (int i = 0; i < length; i++) {
            body.put((byte) 0xee);
        }
        return block(type, body);
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private ByteBuffer body(int length) {
        return ByteBuffer.allocate(length).order(order);
    }

    private PcapngBuilder block(int type, ByteBuffer body) {
        int bodyLength = padded(body.position());
        int total = 12 + bodyLength;
        ByteBuffer b = ByteBuffer.allocate(total).order(order);
        b.putInt(type).putInt(total).put(body.array(), 0, bodyLength).putInt(total);
        out.writeBytes(b.array());
        return this;
    }

    private static int padded(int n) {
        return (n + 3) & ~3;
    }
}
