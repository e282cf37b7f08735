# wan-vlan: the wan end host speaks VLAN 10 too (its address moves to wan0.10), so the router's
# rwan.10 reaches it
kt_in wan ip addr del "$KT_WAN_IP/24" dev wan0
kt_in wan ip link add link wan0 name wan0.10 type vlan id 10
kt_in wan ip addr add "$KT_WAN_IP/24" dev wan0.10
kt_in wan ip link set wan0.10 up
kt_in wan ip route add default via "$KT_RWAN_IP"
