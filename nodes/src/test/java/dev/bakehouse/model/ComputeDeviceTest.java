package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class ComputeDeviceTest {
    @Test
    void parse_cliSpellings() {
        assertEquals(ComputeDevice.CPU, ComputeDevice.parse("cpu"));
        assertEquals(new ComputeDevice("cuda", 0), ComputeDevice.parse("cuda"));
        assertEquals(new ComputeDevice("cuda", 1), ComputeDevice.parse("CUDA:1"));
        assertEquals(new ComputeDevice("cuda", 2), ComputeDevice.parse("gpu:2"));
        assertEquals(Device.cpu(), ComputeDevice.CPU.toDjl());
    }

    @Test
    void parse_unknownDevice_namesWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse("tpu"));
        assertTrue(e.getMessage().contains("cpu, cuda or cuda:N") && e.getMessage().contains("'tpu'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ComputeDevice.parse("cuda:x"));
    }
}
