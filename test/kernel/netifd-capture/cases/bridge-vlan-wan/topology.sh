# bridge-vlan-wan: the second lan host port speaks VLAN 1 tagged (lan1.1), as rlan2 is a tagged member
kt_in lan ip link add link lan1 name lan1.1 type vlan id 1
kt_in lan ip link set lan1.1 up
