// One litegraph node class per /object_info entry: sockets, widgets and outputs come from the
// definition, so no node is known to the editor in advance.
import { LGraphNode, LiteGraph } from '@comfyorg/litegraph';
import {
  CONTROL_VALUES, hasControlCompanion, isWidgetInput, normaliseNumber, orderedInputs, parseSpec, widgetFor,
} from './inputSpecs.js';

const PREVIEW_GAP = 6;

/** Registers every definition; returns the sorted list used by the palette. */
export function registerNodeTypes(objectInfo) {
  const defs = Object.values(objectInfo).sort((a, b) =>
    (a.category + '/' + a.display_name).localeCompare(b.category + '/' + b.display_name));
  for (const def of defs) {
    LiteGraph.registerNodeType(def.name, nodeClassFor(def));
  }
  return defs;
}

function nodeClassFor(def) {
  const inputs = orderedInputs(def).map((input) => ({ ...input, parsed: parseSpec(input.spec) }));
  class ServerNode extends LGraphNode {
    static title = def.display_name || def.name;
    static comfyClass = def.name;
    static category = def.category;
    static nodeData = def;

    constructor(title) {
      super(title ?? ServerNode.title);
      this.comfyClass = def.name;
      this.isOutputNode = !!def.output_node;
      this.previewImages = [];
      this.validationErrors = [];
      this.isRunning = false;
      this.serialize_widgets = true;
      this.strokeStyles.running = function running() {
        return this.isRunning ? { color: '#3fd16b', lineWidth: 3, padding: 4 } : undefined;
      };
      for (const input of inputs) {
        const tooltip = input.parsed.options.tooltip;
        if (isWidgetInput(input.parsed)) {
          addInputWidget(this, input.name, input.parsed, tooltip);
        } else {
          const slot = this.addInput(input.name, input.parsed.type === 'COMBO' ? 'COMBO' : input.parsed.type);
          slot.label = input.parsed.options.display_name ?? input.name;
          if (tooltip) slot.tooltip = tooltip;
          if (input.optional) slot.shape = LiteGraph.CIRCLE_SHAPE;
        }
      }
      (def.output ?? []).forEach((type, index) => {
        const slotType = Array.isArray(type) ? 'COMBO' : type;
        const slot = this.addOutput(def.output_name?.[index] ?? slotType, slotType);
        if (def.output_is_list?.[index]) slot.shape = LiteGraph.GRID_SHAPE;
        const tooltip = def.output_tooltips?.[index];
        if (tooltip) slot.tooltip = tooltip;
      });
      this.size = this.computeSize();
      this.size[0] = Math.max(this.size[0], 240);
    }

    /** Output images from an `executed` message: drawn under the widgets. */
    showImages(urls) {
      this.previewImages = urls.map((url) => {
        const image = new Image();
        image.onload = () => {
          const minHeight = this.computeSize()[1] + 200;
          if (this.size[1] < minHeight) this.setSize([Math.max(this.size[0], 240), minHeight]);
          this.setDirtyCanvas(true, true);
        };
        image.src = url;
        return image;
      });
      this.setDirtyCanvas(true, true);
    }

    /** Validation or runtime errors: `[{input, message}]` (input null for the whole node). */
    showErrors(errors) {
      this.validationErrors = errors;
      this.has_errors = errors.length > 0;
      this.setDirtyCanvas(true, true);
    }

    onDrawForeground(ctx) {
      if (this.flags.collapsed || this.validationErrors.length === 0) return;
      ctx.save();
      ctx.font = '11px sans-serif';
      ctx.textAlign = 'left';
      let footer = this.size[1] + 14;
      for (const error of this.validationErrors) {
        const widget = this.widgets?.find((w) => w.name === error.input);
        const slot = this.inputs?.findIndex((input) => input.name === error.input || input.widget?.name === error.input);
        ctx.strokeStyle = ctx.fillStyle = '#ff5050';
        if (widget && widget.y != null) {
          ctx.lineWidth = 2;
          ctx.strokeRect(8, widget.y, this.size[0] - 16, LiteGraph.NODE_WIDGET_HEIGHT);
        } else if (slot >= 0) {
          const [x, y] = this.getConnectionPos(true, slot);
          ctx.beginPath();
          ctx.arc(x - this.pos[0], y - this.pos[1], 7, 0, Math.PI * 2);
          ctx.lineWidth = 2;
          ctx.stroke();
        }
        ctx.fillText((error.input ? error.input + ': ' : '') + error.message, 0, footer);
        footer += 14;
      }
      ctx.restore();
    }

    onDrawBackground(ctx) {
      if (this.flags.collapsed) return;
      const loaded = this.previewImages.filter((image) => image.complete && image.naturalWidth > 0);
      if (loaded.length === 0) return;
      const top = this.computeSize()[1] + PREVIEW_GAP;
      const areaW = this.size[0] - 2 * PREVIEW_GAP;
      const areaH = this.size[1] - top - PREVIEW_GAP;
      if (areaH <= 10) return;
      const cellW = areaW / loaded.length;
      loaded.forEach((image, index) => {
        const scale = Math.min(cellW / image.naturalWidth, areaH / image.naturalHeight);
        const w = image.naturalWidth * scale;
        const h = image.naturalHeight * scale;
        ctx.drawImage(image, PREVIEW_GAP + index * cellW + (cellW - w) / 2, top + (areaH - h) / 2, w, h);
      });
    }
  }
  return ServerNode;
}

function addInputWidget(node, name, parsed, tooltip) {
  const spec = widgetFor(name, parsed);
  const callback = spec.kind === 'number'
    ? (value, _canvas, target) => { widget.value = normaliseNumber(value, spec.options); target?.setDirtyCanvas?.(true); }
    : null;
  const widget = node.addWidget(spec.kind, name, spec.value, callback, spec.options);
  widget.label = parsed.options.display_name ?? name;
  if (tooltip) widget.tooltip = tooltip;
  widget.inputType = parsed.type;
  if (hasControlCompanion(name, parsed)) {
    const control = node.addWidget('combo', 'control_after_generate', 'randomize', null,
      { values: CONTROL_VALUES, serialize: false });
    control.controls = widget;
  }
  return widget;
}
