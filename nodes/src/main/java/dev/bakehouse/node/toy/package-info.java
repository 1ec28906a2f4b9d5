/** Nodes of the toy world: reading generated images back into facts. */
package dev.bakehouse.node.toy;
