package smol.phy.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LibcTest {

    @Test
    void aFailedCallLeavesItsErrnoForTheCallingThread() {
        assertThat(Libc.close(-1)).isEqualTo(-1);
        assertThat(Libc.errno()).isEqualTo(Libc.EBADF);
        assertThat(Libc.describe(Libc.EBADF)).isEqualTo("EBADF (Bad file descriptor)");
        assertThat(Libc.open("/nonexistent/smol", Libc.O_RDONLY)).isEqualTo(-1);
        assertThat(ErrnoException.last("open /nonexistent/smol"))
                .hasMessage("open /nonexistent/smol: ENOENT (No such file or directory)")
                .extracting(ErrnoException::errno).isEqualTo(Libc.ENOENT);
    }

    @Test
    void theSocketCallsAreBoundAndReportErrnoOnABadDescriptor() {
        assertThat(Libc.bind(-1, 0, 0)).isEqualTo(-1);
        assertThat(Libc.errno()).isEqualTo(Libc.EBADF);
        assertThat(Libc.setsockopt(-1, 0, 0, 0, 0)).isEqualTo(-1);
        assertThat(Libc.errno()).isEqualTo(Libc.EBADF);
        assertThat(Libc.recvmsg(-1, 0, 0)).isEqualTo(-1);
        assertThat(Libc.errno()).isEqualTo(Libc.EBADF);
        assertThat(Libc.describe(Libc.ENOPROTOOPT)).isEqualTo("ENOPROTOOPT (Protocol not available)");
    }

    @Test
    void aFrameBufferCopiesInAndOutAtAnyOffset() {
        FrameBuffer buffer = new FrameBuffer(16);
        buffer.copyFrom(new byte[] {1, 2, (byte) 0xfe, 4}, 0, 4);
        assertThat(buffer.u8(2)).isEqualTo(0xfe);
        byte[] out = new byte[3];
        buffer.copyTo(1, out, 0, 3);
        assertThat(out).containsExactly(2, (byte) 0xfe, 4);
        assertThat(buffer.address()).isNotZero();
    }

    @Test
    void interfaceNamesFollowTheKernelsRules() {
        assertThat(NetInterfaces.invalidNameReason("smoltap0")).isNull();
        assertThat(NetInterfaces.invalidNameReason("a23456789012345")).isNull();
        assertThat(NetInterfaces.invalidNameReason("a234567890123456"))
                .isEqualTo("interface name 'a234567890123456' is too long: 16 bytes, at most 15"
                        + " (IFNAMSIZ is 16 with the terminating NUL)");
        assertThat(NetInterfaces.invalidNameReason("tap/0")).contains("must not contain");
        assertThat(NetInterfaces.invalidNameReason("tap%d")).contains("must not contain");
        assertThat(NetInterfaces.invalidNameReason("..")).contains("cannot name an interface");
    }

    @Test
    void theLoopbackInterfaceHasAnIndexAnMtuAndIsUp() throws ErrnoException {
        assertThat(NetInterfaces.index("lo")).isPositive();
        assertThat(NetInterfaces.mtu("lo")).isPositive();
        assertThat(NetInterfaces.flags("lo") & NetInterfaces.IFF_UP).isNotZero();
        assertThat(NetInterfaces.index("smol-none0")).isZero();
        assertThatThrownBy(() -> NetInterfaces.mtu("smol-none0")).isInstanceOf(ErrnoException.class)
                .hasMessage("SIOCGIFMTU smol-none0: ENODEV (No such device)");
    }

    @Test
    void aMissingNamespaceIsRefusedSayingHowToMakeOne() {
        assertThatThrownBy(() -> NetworkNamespace.of("smol-none-0000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no network namespace 'smol-none-0000': /var/run/netns/smol-none-0000 does not exist"
                        + " (ip netns list shows the named ones; make it with: sudo ip netns add smol-none-0000)");
        assertThatThrownBy(() -> NetworkNamespace.of("bad name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a network namespace name");
        assertThatThrownBy(() -> NetworkNamespace.of("relative/path"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be absolute");
    }

    @Test
    void theCallersOwnNamespaceRunsAnOpeningOnAFreshThread() throws Exception {
        NetworkNamespace own = NetworkNamespace.of("/proc/self/ns/net");
        Thread caller = Thread.currentThread();
        Thread opener = own.run(Thread::currentThread);
        assertThat(opener).isNotSameAs(caller);
        assertThat(opener.getName()).isEqualTo("smol-netns /proc/self/ns/net");
        assertThatThrownBy(() -> own.run(() -> {
            throw new java.io.IOException("refused");
        })).isInstanceOf(java.io.IOException.class).hasMessage("refused");
    }
}
