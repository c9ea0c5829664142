// SPDX-License-Identifier: GPL-2.0
/*
 * Bodies of media/helpers.h used by every module (the video side is in
 * helpers_video.c). Each module compiles this file once through its
 * own helpers.c, because Kbuild links one object into one module only.
 */
#include <linux/fwnode.h>
#include <linux/idr.h>
#include <linux/kallsyms.h>
#include <linux/kobject.h>
#include <linux/of.h>
#include <linux/version.h>
#include <linux/kasan.h>
#include <linux/uaccess.h>
#include <linux/property.h>
#include <linux/sprintf.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/mm.h>
#include "helpers.h"

/*
 * The address of symbol @sym of the loaded module @mod_name, read from that
 * module's own symbol table as module_kallsyms_lookup_name() does (kept with
 * CONFIG_KALLSYMS; static data needs CONFIG_KALLSYMS_ALL); 0 if either is
 * missing. The module list is reached through @self (THIS_MODULE), which is
 * on it; its head, static in the kernel, is the one node outside module
 * memory. Only addresses are read: nothing found is ever called, so this
 * holds under IBT and kCFI, unlike calling kallsyms_lookup_name() through
 * an address a kprobe reports. The caller keeps the result valid by
 * depending on @mod_name (linking against an export of it).
 */
unsigned long vimc_rs_module_symbol(struct module *self, const char *mod_name,
					const char *sym)
{
	struct list_head *pos;
	unsigned long addr = 0;

	/* The list and each module's kallsyms are RCU-sched protected. */
	rcu_read_lock_sched();
	for (pos = rcu_dereference_sched(list_next_rcu(&self->list)); pos != &self->list;
	     pos = rcu_dereference_sched(list_next_rcu(pos))) {
		struct module *mod = container_of(pos, struct module, list);
		struct mod_kallsyms *ks;
		unsigned int i;

		if (!is_vmalloc_or_module_addr(pos) || mod->state == MODULE_STATE_UNFORMED ||
		    strcmp(mod->name, mod_name))
			continue;
		ks = rcu_dereference_sched(mod->kallsyms);
		for (i = 0; i < ks->num_symtab; i++) {
			const Elf_Sym *s = &ks->symtab[i];

			if (s->st_shndx != SHN_UNDEF && !strcmp(ks->strtab + s->st_name, sym)) {
				addr = s->st_value;
				break;
			}
		}
		break;
	}
	rcu_read_unlock_sched();
	return addr;
}

/* The kernel's hashed form of an address ("%p"): it tells objects apart
 * within a boot without showing where they are. */
int vimc_rs_hashed_ptr(char *buf, unsigned long len, unsigned long p)
{
	return scnprintf(buf, len, "%p", (void *)p);
}

/*
 * drivers/base/swnode.c's struct swnode, private to that file: a mirror,
 * identical in 6.12 and 7.3. The Kbuild compares it with the kernel's own
 * where the kernel's sources are at hand (scripts/check-swnode.sh): it
 * defines VIMC_RS_SWNODE_SAME if they match and stops the build if they
 * do not. Without the sources (a distribution's headers package) the
 * mirror is trusted from 6.12 to 7.3: compared with 6.12.118 and 7.3.4,
 * assumed for the releases between (struct swnode is unchanged since
 * 5.12); on others a software node is shown by its hashed address.
 */
struct vimc_rs_swnode {
	struct kobject kobj;
	struct fwnode_handle fwnode;
	const struct software_node *node;
	int id;

	/* hierarchy */
	struct ida child_ids;
	struct list_head entry;
	struct list_head children;
	struct vimc_rs_swnode *parent;

	unsigned int allocated:1;
	unsigned int managed:1;
};

#if defined(VIMC_RS_SWNODE_SAME) || \
	(LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0) && LINUX_VERSION_CODE < KERNEL_VERSION(7, 4, 0))
#define VIMC_RS_SWNODE_KNOWN 1
#endif

/*
 * Fills @l for a firmware node whose ops are @ops, if that kind of node is
 * known here: a software node (its name is its kobject's, the name %pfwf
 * prints; its parent a swnode) or, with CONFIG_OF, a device tree node.
 * Only compares @ops with the ops tables' addresses: nothing is read
 * through it (software_node_ops is static: is_software_node() compares for
 * us, given a fwnode_handle of our own that holds @ops). Nothing is
 * called through a node: a list entry's node may be freed.
 */
bool vimc_rs_fwnode_layout(unsigned long ops, struct vimc_rs_fwnode_layout *l)
{
	struct fwnode_handle probe = { .ops = (const struct fwnode_operations *)ops };

	if (is_software_node(&probe)) {
#ifdef VIMC_RS_SWNODE_KNOWN
		*l = (struct vimc_rs_fwnode_layout){
			.fwnode = offsetof(struct vimc_rs_swnode, fwnode),
			.name = offsetof(struct vimc_rs_swnode, kobj.name),
			.parent = offsetof(struct vimc_rs_swnode, parent),
		};
		return true;
#else
		return false;
#endif
	}
#ifdef CONFIG_OF
	if (probe.ops == &of_fwnode_ops) {
		*l = (struct vimc_rs_fwnode_layout){
			.fwnode = offsetof(struct device_node, fwnode),
			.name = offsetof(struct device_node, full_name),
			.parent = offsetof(struct device_node, parent),
			.basename = true,
		};
		return true;
	}
#endif
	return false;
}

void rust_helper_fwnode_handle_put(struct fwnode_handle *fwnode)
{
	fwnode_handle_put(fwnode);
}

/* Whether @addr is in the kernel's linear map or image (x86: with a valid
 * page), without reading it. */
bool rust_helper_virt_addr_valid(unsigned long addr)
{
	return virt_addr_valid((void *)addr);
}

/*
 * Reads for media/introspect/nofault.rs: memory that may be freed or unmapped. KASAN
 * would report a read of a freed object; here that read is the point (the
 * caller validates what it got), so its reports are off for this task.
 */
long vimc_rs_read_nofault(void *dst, unsigned long src, unsigned long len)
{
	long ret;

	kasan_disable_current();
	ret = copy_from_kernel_nofault(dst, (const void *)src, len);
	kasan_enable_current();
	return ret;
}

/*
 * strncpy_from_kernel_nofault() is not exported: copy page by page (a
 * string that ends before an unmapped page must still be read), stopping
 * at the NUL. Returns the bytes copied, NUL included, or -EFAULT.
 */
long vimc_rs_read_str_nofault(char *dst, unsigned long src, long len)
{
	long i = 0, n;
	char *nul;

	while (i < len) {
		n = min_t(long, len - i, PAGE_SIZE - ((src + i) & ~PAGE_MASK));
		if (vimc_rs_read_nofault(dst + i, src + i, n))
			return -EFAULT;
		nul = memchr(dst + i, 0, n);
		if (nul)
			return nul - dst + 1;
		i += n;
	}
	return len;
}

/*
 * Whether generic KASAN's shadow marks a byte of [addr, addr + len) as not
 * accessible: a shadow byte of 0 means its 8 bytes are, k in 1..7 the
 * first k, a negative one none. A shadow that cannot be read (a module's,
 * freed with it) counts as poisoned.
 */
bool vimc_rs_kasan_poisoned(unsigned long addr, unsigned long len)
{
#ifdef CONFIG_KASAN_GENERIC
#define GRANULE (1UL << KASAN_SHADOW_SCALE_SHIFT)
	unsigned long a, end = addr + len;
	s8 v;

	if (!len || end < addr)
		return true;
	for (a = addr & ~(GRANULE - 1); a < end; a += GRANULE) {
		if (copy_from_kernel_nofault(&v, kasan_mem_to_shadow((void *)a), 1))
			return true;
		if (v < 0 || (v > 0 && min(end, a + GRANULE) - a > (unsigned long)v))
			return true;
	}
#undef GRANULE
#endif
	return false;
}

/*
 * sprint_symbol() for an address that may lie in a module being unloaded.
 * On 6.12 sprint_symbol() names the module after its lookup left the RCU
 * section, from the module's own memory, which may be freed by then
 * (free_module() waits for RCU readers, then frees); 7.3's holds RCU
 * across both. So do that here: the lookups do not sleep, and a module is
 * freed only after a grace period that follows its removal from the
 * lookup's tree.
 */
int vimc_rs_sprint_symbol(char *buf, unsigned long addr)
{
	int ret;

	rcu_read_lock();
	ret = sprint_symbol(buf, addr);
	rcu_read_unlock();
	return ret;
}
