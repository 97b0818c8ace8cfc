package smol.examples.internal.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The shell commands' classes where Gogo is absent (smol.examples imports its package optionally): they
 * load, and their methods, help annotations and all, can be listed, as SCR does when it makes a component.
 */
class WithoutGogoTest {
    /** Loads this package's classes itself, and refuses Gogo's command API, as a framework without Gogo does. */
    static final class NoGogoLoader extends ClassLoader {
        NoGogoLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.apache.felix.service.command.")) {
                throw new ClassNotFoundException(name + " (no Gogo here)");
            }
            if (!name.startsWith(WithoutGogoTest.class.getPackageName() + ".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded != null) {
                    return loaded;
                }
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name);
                    }
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
        }
    }

    @Test
    void theCommandsLoadAndListTheirMethodsWithoutGogo() throws Exception {
        ClassLoader noGogo = new NoGogoLoader(getClass().getClassLoader());
        assertThatThrownBy(() -> noGogo.loadClass("org.apache.felix.service.command.Descriptor"))
                .isInstanceOf(ClassNotFoundException.class);

        for (String command : new String[] {"PingCommand", "StackCommands", "TcpdumpCommand"}) {
            Class<?> type = Class.forName(WithoutGogoTest.class.getPackageName() + "." + command, true, noGogo);
            assertThat(type.getClassLoader()).isSameAs(noGogo);

            Method[] methods = type.getDeclaredMethods();

            assertThat(methods).isNotEmpty();
            for (Method m : methods) {
                // the help annotations are not there: the JVM skips an annotation whose type it cannot load
                assertThat(m.getAnnotations()).isEmpty();
                assertThat(Arrays.stream(m.getParameterAnnotations()).flatMap(Arrays::stream))
                        .extracting(Annotation::annotationType).isEmpty();
            }
            assertThat(type.getDeclaredConstructor().newInstance()).isNotNull();
        }
    }

    @Test
    void withGogoTheCommandsCarryTheirHelpTexts() throws Exception {
        Method ping = PingCommand.class.getMethod("ping", String.class, String.class, String.class, String.class,
                String.class, String.class, String[].class);

        assertThat(ping.getAnnotation(org.apache.felix.service.command.Descriptor.class).value())
                .startsWith("send ICMP echo requests");
    }
}
