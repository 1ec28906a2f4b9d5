package dev.bakehouse.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
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

    @Test
    void cpu_isAlwaysAvailable_andHasNoSeparateMemory() {
        ComputeDevice.CPU.requireAvailable();
        assertTrue(ComputeDevice.CPU.memory().isEmpty());
    }

    @Test
    void requireAvailable_aGpuBeyondTheMachinesCount_saysNoCudaDevice() {
        int gpus = CudaUtils.getGpuCount();
        ComputeDevice absent = new ComputeDevice("cuda", gpus); // index == count: never present
        IllegalStateException e = assertThrows(IllegalStateException.class, absent::requireAvailable);
        assertTrue(e.getMessage().startsWith("--device cuda:" + gpus + ": no CUDA device " + gpus + " on this machine"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("use --device cpu"), e.getMessage());
    }
}
